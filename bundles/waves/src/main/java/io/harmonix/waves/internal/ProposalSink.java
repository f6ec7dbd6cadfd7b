package io.harmonix.waves.internal;

/** Where a wave's surviving proposals go: the enhancement ledger, which records and validates them. */
interface ProposalSink {
    /** What the ledger made of a proposal: its id there and its status, or why it was not taken. */
    record Submitted(String enhancementId, String status) {
    }

    Submitted submit(String waveId, Aggregation.Candidate candidate) throws Exception;
}
