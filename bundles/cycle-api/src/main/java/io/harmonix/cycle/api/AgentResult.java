package io.harmonix.cycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an agent returns from one cycle.
 *
 * @param state the agent's new state (any JSON), handed back as {@link AgentContext#previousState()} next cycle
 * @param outputs what the cycle produced (findings, proposals, reports...), a JSON object recorded in the snapshot
 * @param metrics numeric measurements of the cycle (name to value), recorded in the snapshot
 */
public record AgentResult(JsonNode state, ObjectNode outputs, Map<String, Double> metrics) {
    public AgentResult {
        state = state == null ? JsonNodeFactory.instance.nullNode() : state;
        outputs = outputs == null ? JsonNodeFactory.instance.objectNode() : outputs;
        metrics = metrics == null ? Map.of() : Map.copyOf(new TreeMap<>(metrics));
    }

    /** @return a result with the given state, no outputs and no metrics */
    public static AgentResult of(JsonNode state) {
        return new AgentResult(state, null, null);
    }
}
