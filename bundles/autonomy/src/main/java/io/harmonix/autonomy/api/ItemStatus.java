package io.harmonix.autonomy.api;

/** Where a backlog item stands (the seed's {@code status}); written in lower case with underscores. */
public enum ItemStatus {
    OPEN, IN_PROGRESS, DONE, BLOCKED, CANCELLED;

    /** @return the ledger's spelling */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
