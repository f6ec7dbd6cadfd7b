package io.harmonix.cycle.api;

/** How one agent's step ended in a cycle. */
public enum AgentStatus {
    /** The agent returned a result in time. */
    OK,
    /** The agent threw, or was not present when its cycle came. */
    FAILED,
    /** The agent did not answer before its deadline. */
    TIMEOUT;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
