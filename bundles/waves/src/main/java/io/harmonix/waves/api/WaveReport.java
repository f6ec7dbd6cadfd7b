package io.harmonix.waves.api;

import java.util.List;

/**
 * What a wave's instances found and proposed, over all its cycles.
 *
 * @param wave the wave
 * @param findings its findings merged by fingerprint
 * @param conflicts every conflict and how it was resolved
 * @param proposals the proposals that survived and what became of them
 */
public record WaveReport(Wave wave, List<MergedFinding> findings, List<Conflict> conflicts,
        List<WaveProposal> proposals) {
    public WaveReport {
        findings = List.copyOf(findings);
        conflicts = List.copyOf(conflicts);
        proposals = List.copyOf(proposals);
    }

    /**
     * One finding, however many instances saw it.
     *
     * @param fingerprint its fingerprint
     * @param ruleId the rule
     * @param severity its severity id ({@code high})
     * @param file where it is
     * @param line its line
     * @param message what it says
     * @param sources the agent ids that reported it, sorted
     * @param cycle the last cycle it was seen in
     */
    public record MergedFinding(String fingerprint, String ruleId, String severity, String file, int line,
            String message, List<String> sources, long cycle) {
        public MergedFinding {
            sources = List.copyOf(sources);
        }
    }

    /**
     * A conflict and its resolution.
     *
     * @param cycle the wave's cycle
     * @param kind {@code overlap} (two proposals touch overlapping hunks) or {@code ownership} (a proposal touches
     *     files of components its instance does not own)
     * @param winner the fingerprint of the proposal kept (overlap), or null
     * @param loser the fingerprint of the proposal set aside
     * @param agentId the instance whose proposal was set aside
     * @param resolution what was decided and by which rule, in a sentence
     */
    public record Conflict(long cycle, String kind, String winner, String loser, String agentId, String resolution) {
    }

    /**
     * A proposal of the wave that survived the conflicts.
     *
     * @param cycle the cycle it was made in
     * @param fingerprint the finding it fixes
     * @param agentId who proposed it
     * @param title what it does
     * @param enhancementId its id in the enhancement ledger, or null when it was not submitted
     * @param status its status there (or why it was not submitted)
     */
    public record WaveProposal(long cycle, String fingerprint, String agentId, String title, String enhancementId,
            String status) {
    }
}
