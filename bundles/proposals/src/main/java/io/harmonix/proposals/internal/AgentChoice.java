package io.harmonix.proposals.internal;

import io.harmonix.cycle.api.Agent;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Which running agent checks a fix: the instance that proposed it when it is still there, else one of its type. */
final class AgentChoice {
    private AgentChoice() {
    }

    static Optional<Agent> choose(Map<Agent, Map<String, Object>> agents, String type, String id) {
        Agent ofType = null;
        for (Map.Entry<Agent, Map<String, Object>> e : agents.entrySet()) {
            if (!Objects.equals(String.valueOf(e.getValue().get(Agent.TYPE)), type)) {
                continue;
            }
            if (id != null && id.equals(String.valueOf(e.getValue().get(Agent.ID)))) {
                return Optional.of(e.getKey());
            }
            ofType = ofType == null ? e.getKey() : ofType;
        }
        return Optional.ofNullable(ofType);
    }
}
