package io.harmonix.workflow.handlers.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * agent/step: calls one step of a Harmonix agent. Input: {@code agent} (its id), {@code state} (the previous
 * state, default none), {@code inputs} (map), {@code cycle} (default 1). Output: {@code state},
 * {@code outputs}, {@code metrics} of the agent's result. The run id given to the agent is the workflow instance.
 */
@Component(property = {TaskHandler.COMPONENT + "=agent", TaskHandler.ACTION + "=step"})
public final class AgentStepHandler implements TaskHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AgentsById<Agent> agents = new AgentsById<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAgent(Agent agent, Map<String, Object> properties) {
        agents.add(agent, properties);
    }

    void removeAgent(Agent agent, Map<String, Object> properties) {
        agents.remove(properties);
    }

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        Object id = context.input().get("agent");
        Agent agent = id == null ? null : agents.get(id.toString());
        if (agent == null) {
            throw new IllegalArgumentException("agent/step: no agent '" + id + "'; present: "
                    + String.join(", ", agents.inUse().keySet()));
        }
        long cycle = context.input().get("cycle") instanceof Number n ? n.longValue() : 1;
        Instant deadline = context.deadline() == null ? Instant.now().plusSeconds(300) : context.deadline();
        AgentResult r = agent.step(new AgentContext(context.instanceId(), cycle,
                JSON.valueToTree(context.input().get("state")), JSON.valueToTree(context.input().getOrDefault(
                        "inputs", Map.of())), deadline));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", JSON.treeToValue(r.state(), Object.class));
        out.put("outputs", JSON.treeToValue(r.outputs(), Object.class));
        out.put("metrics", r.metrics());
        return out;
    }
}
