package io.harmonix.cycle.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One agent's part of a cycle snapshot.
 *
 * @param agentId the agent's id
 * @param agentType the agent's type ("" when it declared none)
 * @param status how its step ended
 * @param stateDigest SHA-256 (hex) of the canonical JSON of the state it returned; for a failed entry, the digest of
 *     the state it keeps (the previous one)
 * @param outputs what it produced (empty when it failed)
 * @param metrics its numeric measurements
 * @param durationMillis how long its step took
 * @param error why it failed, or null
 */
public record AgentEntry(
        String agentId,
        String agentType,
        AgentStatus status,
        String stateDigest,
        ObjectNode outputs,
        Map<String, Double> metrics,
        long durationMillis,
        String error) {
    public AgentEntry {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stateDigest, "stateDigest");
        agentType = agentType == null ? "" : agentType;
        outputs = outputs == null ? JsonNodeFactory.instance.objectNode() : outputs;
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }
}
