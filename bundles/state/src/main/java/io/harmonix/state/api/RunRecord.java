package io.harmonix.state.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A run as the journal holds it.
 *
 * @param runId the run
 * @param definition what the runner needs to go on with it (its own JSON, opaque to the journal)
 * @param state the run's state name as the runner last wrote it (running, paused, completed, stopped, failed)
 * @param lastCycle the last committed cycle, 0 before the first
 * @param message why it stopped or failed, or null
 * @param forkedFrom {@code <run>:<cycle>} it was forked from, or null
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record RunRecord(String runId, JsonNode definition, String state, long lastCycle, String message,
        String forkedFrom, Instant createdAt, Instant updatedAt) {
    /** @return true for a state after which the run never goes on */
    public boolean finished() {
        return state.equals("completed") || state.equals("stopped") || state.equals("failed");
    }
}
