package io.harmonix.agent.architecture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.AgentResult;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The example instance configuration the documentation ships: every key is the agent's, and it runs. */
class ExampleConfigurationTest {
    @Test
    void theShippedExampleConfiguresAnAgentThatRunsOnHarmonix() throws Exception {
        Path root = HarmonixSelfTest.harmonix();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(root.resolve(
                "docs/examples/enhance/io.harmonix.agent.architecture-harmonix.cfg"))) {
            p.load(r);
        }
        Set<String> keys = Arrays.stream(ArchitectureAgent.Config.class.getDeclaredMethods()).map(Method::getName)
                .collect(Collectors.toSet());
        assertTrue(keys.containsAll(p.stringPropertyNames()), p.stringPropertyNames() + " not all in " + keys);
        Map<String, Object> properties = new HashMap<>();
        p.forEach((k, v) -> properties.put(k.toString(), v));
        properties.put("target", root.toString()); // the example's /src/harmonix is where Harmonix is checked out
        properties.put("service.pid", ArchitectureAgent.PID + "~harmonix");
        ArchitectureAgent agent = Agents.agent(properties);
        java.util.List<String> progress = new java.util.ArrayList<>();
        agent.progress = (run, id, done, total) -> progress.add(id + " " + done + "/" + total);
        AgentResult result = agent.step(new io.harmonix.cycle.api.AgentContext("run", 1, null,
                null, java.time.Instant.now().plusSeconds(300)));

        assertEquals(java.util.List.of("bundles"), io.harmonix.enhance.api.FindingCycle.read(result.outputs())
                .orElseThrow().components());
        assertEquals(java.util.List.of(), Agents.ofRule(result, "layering"), "Harmonix's APIs do not use the runner");
        int total = result.outputs().path("files").path("total").asInt();
        assertEquals("architecture.harmonix " + total + "/" + total, progress.get(progress.size() - 1),
                "the instance's id, and the end reported");
        assertEquals(total / ArchitectureAgent.PROGRESS_EVERY + (total % ArchitectureAgent.PROGRESS_EVERY == 0 ? 0
                : 1), progress.size(), "every " + ArchitectureAgent.PROGRESS_EVERY + " files and at the end: "
                + progress);
    }
}
