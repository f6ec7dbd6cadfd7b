package io.harmonix.autonomy.api;

/** What a backlog item is (the seed's {@code type}); written in lower case in the ledger. */
public enum ItemType {
    BUG, SECURITY, CHORE, FEATURE;

    /** @return the ledger's spelling */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
