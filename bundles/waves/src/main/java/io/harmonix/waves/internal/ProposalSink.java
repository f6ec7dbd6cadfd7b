package io.harmonix.waves.internal;

/**
 * Where a wave's proposals go: the enhancement ledger, which records and validates them ({@link LedgerSink} in the
 * runtime).
 */
interface ProposalSink {
    /** What the ledger made of a proposal: its id there and its status, or why it was not taken. */
    record Submitted(String enhancementId, String status) {
    }

    /** Records a surviving proposal and starts its validation (once: a proposal is never validated twice). */
    Submitted submit(String waveId, Aggregation.Candidate candidate) throws Exception;

    /** Records a proposal refused for touching components its instance does not own, as rejected. */
    Submitted refuse(String waveId, Aggregation.Refused refused) throws Exception;
}
