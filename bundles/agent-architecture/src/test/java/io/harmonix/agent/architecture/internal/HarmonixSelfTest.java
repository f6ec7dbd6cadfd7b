package io.harmonix.agent.architecture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.TrackedFinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent on Harmonix's own bundles (this worktree's bundles/ folder): from sources, and from compiled classes
 * where a build left target/classes (this module's own, at least, when the tests run). Harmonix has no cycle
 * between its bundles (Maven would refuse to build one), so any module cycle found would be false.
 */
class HarmonixSelfTest {
    private static AgentResult result;

    @BeforeAll
    static void analyse() throws Exception {
        result = Agents.step(Agents.agent(Map.of()), harmonix(), "bundles", null, 1);
    }

    /** The top of the Harmonix working tree these tests run in (surefire runs them in the module's folder). */
    static Path harmonix() {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assertTrue(Files.exists(root.resolve("bundles/enhance-api/pom.xml")), "run from bundles/agent-architecture");
        return root;
    }

    @Test
    void noCycleBetweenHarmonixBundles() {
        List<String> moduleCycles = new ArrayList<>();
        result.outputs().path("architecture").path("cycles").forEach(c -> {
            if (c.path("level").asText().equals("module")) {
                moduleCycles.add(c.toString());
            }
        });
        assertEquals(List.of(), moduleCycles);
        assertTrue(Agents.ofRule(result, "cycle").stream().noneMatch(f -> f.finding().message()
                .startsWith("module cycle")));
    }

    @Test
    void theMetricsTableCoversEveryBundleAndItsPackages() {
        Map<String, JsonNode> modules = new TreeMap<>();
        result.outputs().path("metrics").path("modules").forEach(m -> modules.put(m.path("name").asText(), m));
        for (String bundle : List.of("io.harmonix.cycle.api", "io.harmonix.runner", "io.harmonix.state",
                "io.harmonix.enhance.api", "io.harmonix.agent.architecture", "io.harmonix.shell")) {
            assertTrue(modules.containsKey(bundle), bundle + " in " + modules.keySet());
        }
        JsonNode cycleApi = modules.get("io.harmonix.cycle.api");
        assertEquals(0, cycleApi.path("ce").asInt(), "the cycle API depends on no other Harmonix code");
        assertTrue(cycleApi.path("ca").asInt() > 10, cycleApi.toString());
        assertEquals(0.0, cycleApi.path("instability").asDouble());
        int packages = result.outputs().path("metrics").path("packages").size();
        assertTrue(packages > 30, "packages: " + packages);
        result.outputs().path("metrics").path("packages").forEach(p -> {
            double i = p.path("instability").asDouble();
            double a = p.path("abstractness").asDouble();
            assertEquals(Math.abs(a + i - 1), p.path("distance").asDouble(), 0.0011, p.toString());
        });
    }

    @Test
    void harmonixBundlesUseNoOtherBundlesPrivatePackage() {
        List<String> privateImports = Agents.ofRule(result, "private-import").stream()
                .map(f -> f.finding().location() + " " + f.finding().message()).toList();
        assertEquals(List.of(), privateImports);
    }

    @Test
    void harmonixKeepsItsOwnLayeringRules() throws Exception {
        List<String> lines = Files.readAllLines(harmonix().resolve(".harmonix/architecture.rules"));
        assertEquals(3, io.harmonix.agent.architecture.internal.analysis.LayeringRules.parse("rules", lines).size());
        // the rules are .harmonix/architecture.rules at the top of the repository; it is outside bundles/, which is
        // what is analysed, and is read all the same: a target's rules file is at the target's root
        List<String> violations = Agents.ofRule(result, "layering").stream()
                .map(f -> f.finding().location() + " " + f.finding().message()).toList();
        assertEquals(List.of(), violations);
    }

    @Test
    void summary() {
        // printed, not asserted: what the agent says about Harmonix today
        Map<String, Integer> byRule = new TreeMap<>();
        for (TrackedFinding f : Agents.findings(result)) {
            byRule.merge(f.finding().ruleId(), 1, Integer::sum);
        }
        System.out.println("Harmonix bundles: findings by rule " + byRule + ", read " + result.outputs()
                .path("architecture").path("read") + ", files " + result.outputs().path("files"));
        result.outputs().path("architecture").path("cycles").forEach(c -> System.out.println("  cycle " + c));
        Agents.findings(result).stream().filter(f -> !f.finding().ruleId().equals("unranged-import"))
                .forEach(f -> System.out.println("  " + f.finding().ruleId() + " " + f.finding().location() + " "
                        + f.finding().message()));
        assertTrue(result.outputs().path("files").path("analysed").asInt() > 100);
    }
}
