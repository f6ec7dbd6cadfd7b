package io.harmonix.proposals.model.internal;

import java.util.List;

/** Model-backed proposals as the command asks for them (a service of this bundle only: its package is private). */
public interface ModelProposals {
    /**
     * What became of one finding.
     *
     * @param fingerprint the finding's
     * @param agentType the type of the agent that reported it
     * @param file where it is ({@code FILE:LINE})
     * @param enhancementId its enhancement, or null when none was submitted
     * @param status {@code submitted} (its validation started), {@code refused} or {@code skipped}
     * @param reason why refused or skipped; the validation's workflow instance when submitted. Never the key
     */
    record Outcome(String fingerprint, String agentType, String file, Long enhancementId, String status,
            String reason) {
    }

    /**
     * Asks about the findings without a fix of the wave's latest cycle.
     *
     * @throws IllegalStateException when model-backed proposals are off or wrongly configured
     * @throws IllegalArgumentException for an unknown wave
     */
    List<Outcome> proposeWave(String waveId) throws InterruptedException;

    /**
     * Asks about one finding, from the newest run whose latest enhancement cycle holds it without a fix.
     *
     * @throws IllegalStateException when model-backed proposals are off or wrongly configured
     * @throws IllegalArgumentException when no such finding is pending
     */
    List<Outcome> proposeFinding(String fingerprint) throws InterruptedException;
}
