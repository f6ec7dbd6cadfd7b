package io.harmonix.autonomy.api;

/**
 * The risk of a backlog item or change (the seed's {@code risk}); written in lower case. Only {@link #LOW} and
 * {@link #MEDIUM} ship without a person's approval.
 */
public enum Risk {
    LOW, MEDIUM, HIGH, CRITICAL;

    /** @return true when a person must approve a change of this risk before it ships */
    public boolean needsApproval() {
        return this == HIGH || this == CRITICAL;
    }

    /** @return the ledger's spelling */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
