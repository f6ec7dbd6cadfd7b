package io.harmonix.agent.architecture.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.TrackedFinding;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.util.converter.Converters;

/** Agents made as DS makes them (configuration converted from properties), and their cycles run. */
final class Agents {
    private Agents() {
    }

    /** @param properties the configuration, as in etc/io.harmonix.agent.architecture-NAME.cfg */
    static ArchitectureAgent agent(Map<String, Object> properties) {
        ArchitectureAgent.Config config = Converters.standardConverter().convert(properties)
                .to(ArchitectureAgent.Config.class);
        // DS adds the component's own properties (its agent type) to the configuration's
        Map<String, Object> all = new HashMap<>(properties);
        all.putIfAbsent(io.harmonix.cycle.api.Agent.TYPE, ArchitectureAgent.TYPE);
        return new ArchitectureAgent(null, config, all);
    }

    /** One cycle on {@code target} after {@code previous} (null for the first). */
    static AgentResult step(ArchitectureAgent agent, Path target, AgentResult previous, long cycle)
            throws Exception {
        return step(agent, target, "", previous, cycle);
    }

    /** One cycle on the {@code components} (comma-separated) of {@code target}, as cycle:run --input gives them. */
    static AgentResult step(ArchitectureAgent agent, Path target, String components, AgentResult previous,
            long cycle) throws Exception {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("target", target.toString())
                .put("components", components);
        JsonNode state = previous == null ? null : previous.state();
        return agent.step(new AgentContext("run-1", cycle, state, inputs, Instant.now().plusSeconds(300)));
    }

    static List<TrackedFinding> findings(AgentResult result) {
        CycleFindings read = FindingCycle.read(result.outputs()).orElseThrow();
        return read.findings();
    }

    static List<TrackedFinding> ofRule(AgentResult result, String rule) {
        return findings(result).stream().filter(f -> f.finding().ruleId().equals(rule)).toList();
    }
}
