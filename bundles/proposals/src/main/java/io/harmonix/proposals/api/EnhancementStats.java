package io.harmonix.proposals.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How the proposals of one agent type under one rule fared: what the coordinator's adaptive deployment reads, and
 * {@code enhance:stats} shows. Counts are of enhancements that reached the status at some time (an applied one also
 * counts as validated), rollbacks excluded from every count but {@code rolledBack}'s.
 *
 * @param agentType the agent type
 * @param ruleId the rule (the enhancement type)
 * @param proposed how many were submitted
 * @param validated how many passed validation
 * @param rejected how many were rejected
 * @param applied how many were applied
 * @param rolledBack how many were rolled back after being applied
 * @param validationTime the time their validations took, in total
 */
public record EnhancementStats(String agentType, String ruleId, long proposed, long validated, long rejected,
        long applied, long rolledBack, Duration validationTime) {
    public EnhancementStats {
        Objects.requireNonNull(agentType, "agentType");
        Objects.requireNonNull(ruleId, "ruleId");
        validationTime = validationTime == null ? Duration.ZERO : validationTime;
    }

    /**
     * @return validated less rolled back, over decided (validated plus rejected); 0 when none was decided: the share
     *     of this agent type's proposals under this rule that were worth making
     */
    public double successRate() {
        long decided = validated + rejected;
        return decided == 0 ? 0.0 : Math.max(0, validated - rolledBack) / (double) decided;
    }
}
