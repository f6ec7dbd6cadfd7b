package io.harmonix.cycle.api;

/** How a cycle ended, from its agents' entries. */
public enum CycleStatus {
    /** Every agent's entry is {@link AgentStatus#OK} (also when no agent took part). */
    OK,
    /** Some entries failed or timed out, some did not. */
    PARTIAL,
    /** Every entry failed or timed out. */
    FAILED;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the status of a cycle with {@code total} entries of which {@code failed} did not end OK */
    public static CycleStatus of(int total, int failed) {
        if (failed == 0) {
            return OK;
        }
        return failed == total ? FAILED : PARTIAL;
    }
}
