package io.harmonix.cycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Objects;

/**
 * What an agent is given for one cycle.
 *
 * @param runId the run
 * @param cycle the cycle number, starting at 1
 * @param previousState the state the agent returned in the previous cycle, or a JSON {@code null} node on the first
 * @param inputs inputs of the run (a JSON object, possibly empty)
 * @param deadline the instant by which the agent must answer; after it the runner marks the entry failed
 */
public record AgentContext(String runId, long cycle, JsonNode previousState, JsonNode inputs, Instant deadline) {
    public AgentContext {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(deadline, "deadline");
        previousState = previousState == null ? JsonNodeFactory.instance.nullNode() : previousState;
        inputs = inputs == null ? JsonNodeFactory.instance.objectNode() : inputs;
    }

    /** @return true when this is the agent's first cycle in the run (no previous state) */
    public boolean firstCycle() {
        return previousState.isNull() || previousState.isMissingNode();
    }

    /** @return true once the deadline has passed; long work should check it and stop early */
    public boolean deadlinePassed() {
        return Instant.now().isAfter(deadline);
    }
}
