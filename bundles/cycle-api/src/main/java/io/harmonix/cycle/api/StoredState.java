package io.harmonix.cycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One saved state of an agent.
 *
 * @param agentId the agent
 * @param runId the run
 * @param cycle the cycle that produced it
 * @param stateVersion the version of the agent's state format it was written in
 * @param payload the state
 * @param savedAt when it was saved
 */
public record StoredState(String agentId, String runId, long cycle, int stateVersion, JsonNode payload,
        Instant savedAt) {
}
