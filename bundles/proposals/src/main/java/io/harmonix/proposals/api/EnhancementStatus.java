package io.harmonix.proposals.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where an enhancement stands, and the one place that says which status may follow which:
 *
 * <pre>
 * PROPOSED --validate--> VALIDATING --> VALIDATED --markApplied--> APPLIED --its revert applied--> ROLLED_BACK
 *     |                      '--------> REJECTED
 *     '--refused (ownership, conflict)--> REJECTED
 * </pre>
 *
 * REJECTED and ROLLED_BACK are final: a proposal is validated at most once (a new commit of the same finding is a
 * new enhancement).
 */
public enum EnhancementStatus {
    PROPOSED, VALIDATING, VALIDATED, REJECTED, APPLIED, ROLLED_BACK;

    /** @return the statuses this one may change to (empty for a final one) */
    public Set<EnhancementStatus> next() {
        return switch (this) {
            case PROPOSED -> EnumSet.of(VALIDATING, REJECTED);
            case VALIDATING -> EnumSet.of(VALIDATED, REJECTED);
            case VALIDATED -> EnumSet.of(APPLIED);
            case APPLIED -> EnumSet.of(ROLLED_BACK);
            case REJECTED, ROLLED_BACK -> EnumSet.noneOf(EnhancementStatus.class);
        };
    }

    /** @return true when {@code next} may follow this status */
    public boolean canBecome(EnhancementStatus next) {
        return next().contains(next);
    }

    /** @return true when nothing may follow */
    public boolean isFinal() {
        return next().isEmpty();
    }

    /** @return the lower-case name ({@code rolled_back}), as commands and JSON write it */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a status name in any case, {@code rolled-back} or {@code rolled_back}
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EnhancementStatus parse(String text) {
        if (text != null) {
            String t = text.trim().replace('-', '_');
            for (EnhancementStatus s : values()) {
                if (s.name().equalsIgnoreCase(t)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("status must be one of " + Arrays.stream(values())
                .map(EnhancementStatus::id).collect(Collectors.joining(", ")) + "; was "
                + (text == null ? "nothing" : "'" + text + "'"));
    }
}
