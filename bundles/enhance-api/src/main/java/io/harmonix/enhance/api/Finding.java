package io.harmonix.enhance.api;

import java.util.Objects;

/**
 * One thing an agent found.
 *
 * @param fingerprint stable identity of the finding across cycles: the same rule on the same code in the same file
 *     keeps it when unrelated lines are edited or the code moves within the file ({@link Fingerprints})
 * @param agentType the type of agent that found it ({@code quality}, {@code security}, ...)
 * @param ruleId the rule that found it, one of the agent's {@link Rule}s
 * @param severity how much it matters
 * @param risk the risk of acting on it
 * @param component the component of the target it is in (a sub-path such as {@code bundles/runner}), or "" for the
 *     target's root
 * @param location where it is
 * @param message what is wrong, in one sentence
 * @param evidence the code or text that shows it; never a secret: agents redact before building a finding
 */
public record Finding(String fingerprint, String agentType, String ruleId, Severity severity, Risk risk,
        String component, Location location, String message, String evidence) {
    public Finding {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(agentType, "agentType");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(risk, "risk");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
        component = component == null ? "" : component;
        evidence = evidence == null ? "" : evidence;
    }

    /**
     * A finding whose fingerprint is made from the rule, the file and the code it is about ({@code snippet}), not its
     * line number, so that it survives edits elsewhere in the file.
     */
    public static Finding of(String agentType, String ruleId, Severity severity, Risk risk, String component,
            Location location, String message, String evidence, String snippet) {
        return new Finding(Fingerprints.of(ruleId, location.file(), snippet), agentType, ruleId, severity, risk,
                component, location, message, evidence);
    }

    /** @return this finding under another fingerprint */
    public Finding withFingerprint(String other) {
        return new Finding(other, agentType, ruleId, severity, risk, component, location, message, evidence);
    }
}
