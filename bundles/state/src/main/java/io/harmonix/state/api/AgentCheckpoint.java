package io.harmonix.state.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One agent's new state in a checkpoint.
 *
 * @param agentId the agent
 * @param stateVersion the version of the agent's state format
 * @param state the state
 */
public record AgentCheckpoint(String agentId, int stateVersion, JsonNode state) {
}
