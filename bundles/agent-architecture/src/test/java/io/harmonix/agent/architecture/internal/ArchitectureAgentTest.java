package io.harmonix.agent.architecture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.TrackedFinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchitectureAgentTest {
    @TempDir
    Path dir;

    @Test
    void findsThePlantedPackageCycleAtTheCheapestEdgesFirstReference() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        Finding cycle = only(Agents.ofRule(result, "cycle").stream().map(TrackedFinding::finding)
                .filter(f -> f.message().startsWith("package cycle")).toList());
        assertEquals(ModularFixture.STRINGS + ":3", cycle.location().toString(), "the import that makes util -> "
                + "internal, the edge with one reference against two the other way");
        assertTrue(cycle.message().contains("com.example.alpha.internal, com.example.alpha.util"), cycle.message());
        assertTrue(cycle.message().contains("cut com.example.alpha.util -> com.example.alpha.internal (1 reference)"),
                cycle.message());
        assertTrue(cycle.evidence().contains("* com.example.alpha.util -> com.example.alpha.internal (1)"),
                cycle.evidence());
        assertTrue(cycle.evidence().contains("  com.example.alpha.internal -> com.example.alpha.util (2)"),
                cycle.evidence());
    }

    @Test
    void findsThePlantedModuleCycleCutWhereAlphaUsesBetaOnce() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        Finding cycle = only(Agents.ofRule(result, "cycle").stream().map(TrackedFinding::finding)
                .filter(f -> f.message().startsWith("module cycle")).toList());
        assertEquals(ModularFixture.HOOK + ":3", cycle.location().toString());
        assertTrue(cycle.message().contains("(alpha, beta); cut alpha -> beta (1 reference)"), cycle.message());
        JsonNode recorded = result.outputs().path("architecture").path("cycles");
        assertEquals(2, recorded.size(), recorded.toString());
    }

    @Test
    void reportsTheLayeringViolationAtItsImportLine() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        Finding layering = only(Agents.ofRule(result, "layering").stream().map(TrackedFinding::finding).toList());
        assertEquals(ModularFixture.MAIN + ":4", layering.location().toString());
        assertTrue(layering.message().contains("'deny ..internal.. from other-module' "
                + "(.harmonix/architecture.rules:2)"),
                layering.message());
        assertTrue(layering.evidence().contains("com.example.beta.Main uses com.example.alpha.internal.GreeterImpl"),
                layering.evidence());
    }

    @Test
    void inlineRulesFromTheConfigurationAreAppliedToo() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        AgentResult result = Agents.step(Agents.agent(Map.of("layering", "deny com.example.beta.. -> "
                + "com.example.alpha.api")), fixture.root, null, 1);

        List<String> where = Agents.ofRule(result, "layering").stream().map(f -> f.finding().location().toString())
                .sorted().toList();
        assertEquals(List.of(ModularFixture.MAIN + ":3", ModularFixture.MAIN + ":4"), where);
    }

    @Test
    void osgiChecksFindTheUnversionedExportAndBothPrivateImports() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        Finding unversioned = only(Agents.ofRule(result, "unversioned-export").stream()
                .map(TrackedFinding::finding).toList());
        assertEquals("alpha/src/main/java/com/example/alpha/spi/package-info.java:1",
                unversioned.location().toString());
        assertEquals(List.of(ModularFixture.HOOK + ":3", ModularFixture.MAIN + ":4"),
                Agents.ofRule(result, "private-import").stream().map(f -> f.finding().location().toString())
                        .sorted().toList(), "beta uses alpha.internal; alpha uses beta.names, beta exports nothing");
    }

    @Test
    void theFixedFixtureHasNoCycleNoLayeringViolationAndReportsThemFixed() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        ArchitectureAgent agent = Agents.agent(Map.of());
        AgentResult first = Agents.step(agent, fixture.root, null, 1);
        fixture.fix();
        AgentResult second = Agents.step(agent, fixture.root, first, 2);

        for (String rule : List.of("cycle", "new-cycle", "layering", "private-import")) {
            assertEquals(List.of(), Agents.ofRule(second, rule), rule);
        }
        assertEquals(0, second.outputs().path("architecture").path("cycles").size());
        List<String> fixed = FindingCycle.read(second.outputs()).orElseThrow().fixed().stream()
                .map(Finding::ruleId).sorted().toList();
        assertEquals(List.of("cycle", "cycle", "layering", "private-import", "private-import"), fixed);
        assertEquals(FindingStatus.PERSISTING, only(Agents.ofRule(second, "unversioned-export")).status());
    }

    @Test
    void aCycleIntroducedInTheSecondCycleIsANewCycleFinding() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        fixture.fix();
        ArchitectureAgent agent = Agents.agent(Map.of());
        AgentResult first = Agents.step(agent, fixture.root, null, 1);
        assertEquals(List.of(), Agents.ofRule(first, "cycle"));
        fixture.write(ModularFixture.STRINGS, ModularFixture.strings(true)).commit("util uses internal");
        AgentResult second = Agents.step(agent, fixture.root, first, 2);

        Finding fresh = only(Agents.ofRule(second, "new-cycle").stream().map(TrackedFinding::finding).toList());
        assertEquals(ModularFixture.STRINGS + ":3", fresh.location().toString());
        assertTrue(fresh.message().startsWith("new package cycle since the previous cycle"), fresh.message());
        AgentResult third = Agents.step(agent, fixture.root, second, 3);
        assertEquals(List.of(), Agents.ofRule(third, "new-cycle"), "no longer new in the cycle after");
        assertEquals(1, Agents.ofRule(third, "cycle").size());
    }

    @Test
    void aModuleWhoseInstabilityGrewIsAFinding() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        fixture.fix();
        ArchitectureAgent agent = Agents.agent(Map.of("instabilityGrowth", "0.1"));
        AgentResult first = Agents.step(agent, fixture.root, null, 1);
        // alpha starts depended upon only (I = 0); then its spi uses beta
        fixture.write(ModularFixture.HOOK, ModularFixture.hook(true)).commit("alpha uses beta");
        AgentResult second = Agents.step(agent, fixture.root, first, 2);

        Finding grown = only(Agents.ofRule(second, "instability-growth").stream().map(TrackedFinding::finding)
                .toList());
        assertTrue(grown.message().startsWith("instability of module alpha grew from 0.00 to 0.50"),
                grown.message());
        assertEquals(List.of(), Agents.ofRule(first, "instability-growth"), "nothing to compare with at first");
    }

    @Test
    void outputsHoldTheMetricsTableAndSayWhatWasNotAnalysed() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        JsonNode packages = result.outputs().path("metrics").path("packages");
        Map<String, JsonNode> byName = new java.util.TreeMap<>();
        packages.forEach(p -> byName.put(p.path("name").asText(), p));
        assertEquals(List.of("com.example.alpha.api", "com.example.alpha.internal", "com.example.alpha.spi",
                "com.example.alpha.util", "com.example.beta", "com.example.beta.names"), List.copyOf(byName.keySet()));
        JsonNode api = byName.get("com.example.alpha.api");
        assertEquals(1.0, api.path("abstractness").asDouble());
        assertEquals(2, api.path("ca").asInt(), "GreeterImpl and Main use Greeter");
        assertEquals(2, result.outputs().path("metrics").path("modules").size());
        Map<String, Integer> notAnalysed = FindingCycle.read(result.outputs()).orElseThrow().notAnalysed();
        assertEquals(Map.of("java (tests)", 1, "md", 1, "rules", 1), notAnalysed);
        assertEquals("sources", result.outputs().path("architecture").path("read").path("alpha").asText());
        assertEquals(2.0, result.metrics().get("cycles"));
    }

    @Test
    void aSourceFileNotInUtf8OrOverTwoMibIsCountedAndTheOthersAreStillAnalysed() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        java.nio.file.Path latin = fixture.root.resolve("alpha/src/main/java/com/example/alpha/util/Latin.java");
        java.nio.file.Files.write(latin, ("package com.example.alpha.util;\n// caf\u00e9\n"
                + "public final class Latin {\n}\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        StringBuilder big = new StringBuilder("package com.example.alpha.util;\n\npublic final class Big {\n");
        while (big.length() <= 2 * 1024 * 1024) {
            big.append("    // filler filler filler filler filler filler filler filler filler filler\n");
        }
        fixture.write("alpha/src/main/java/com/example/alpha/util/Big.java", big.append("}\n").toString())
                .commit("a Latin-1 source and a big one");
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        Map<String, Integer> notAnalysed = FindingCycle.read(result.outputs()).orElseThrow().notAnalysed();
        assertEquals(1, notAnalysed.get("java (not UTF-8)"), notAnalysed.toString());
        assertEquals(1, notAnalysed.get("java (over 2 MiB)"), notAnalysed.toString());
        assertEquals(2, Agents.ofRule(result, "cycle").size(), "the good files are analysed as before");
    }

    @Test
    void aPomUnderSrcIsNoModuleAndAnUnreadablePomIsCountedNotFatal() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        fixture.write("alpha/src/test/resources/it/pom.xml", "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE project [<!ENTITY x \"y\">]>\n<project><artifactId>it</artifactId></project>\n")
                .write("gamma/pom.xml", "<project><artifactId>gamma</artifactId>\n")
                .write("gamma/src/main/java/com/example/gamma/G.java", "package com.example.gamma;\n\n"
                        + "public class G {\n    com.example.beta.names.Names n;\n}\n")
                .commit("a test fixture pom and a broken module pom");
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        Map<String, Integer> notAnalysed = FindingCycle.read(result.outputs()).orElseThrow().notAnalysed();
        assertEquals(1, notAnalysed.get("pom.xml (unreadable)"), notAnalysed.toString());
        assertEquals(1, notAnalysed.get("xml"), "the fixture pom is a test resource: " + notAnalysed);
        JsonNode read = result.outputs().path("architecture").path("read");
        assertEquals("sources", read.path("gamma").asText(), "gamma's sources are still read: " + read);
        assertTrue(read.path("alpha/src/test/resources/it").isMissingNode(), read.toString());
        assertEquals(2, Agents.ofRule(result, "cycle").size());
    }

    @Test
    void aConfiguredRulesFileThatIsMissingFailsTheStepNamingIt() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        Exception e = assertThrows(java.io.IOException.class, () -> Agents.step(Agents.agent(Map.of("rulesFile",
                "etc/layers.rules")), fixture.root, null, 1));
        assertTrue(e.getMessage().contains("rulesFile 'etc/layers.rules' does not exist"), e.getMessage());
    }

    @Test
    void aRulesFileThatDoesNotParseFailsTheStepWithFileLineAndColumn() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        fixture.write(".harmonix/architecture.rules", "# layers\ndeny ..api.. => ..internal..\n").commit("typo");
        Exception e = assertThrows(IllegalArgumentException.class, () -> Agents.step(Agents.agent(Map.of()),
                fixture.root, null, 1));
        assertEquals(".harmonix/architecture.rules:2:14: expected '->' or 'from other-module' but found '=>'",
                e.getMessage());
    }

    @Test
    void withoutATargetTheCycleIsIdleAndKeepsTheState() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        ArchitectureAgent agent = Agents.agent(Map.of());
        AgentResult first = Agents.step(agent, fixture.root, null, 1);
        AgentResult idle = agent.step(new io.harmonix.cycle.api.AgentContext("run-1", 2, first.state(), null,
                java.time.Instant.now().plusSeconds(60)));

        assertTrue(idle.outputs().path("idle").asText().startsWith("no target"), idle.outputs().toString());
        assertEquals(first.state(), idle.state());
        assertTrue(FindingCycle.read(idle.outputs()).isEmpty());
    }

    @Test
    void aCycleWhoseDeadlineHasPassedIsPartialAndKeepsTheTrendStateOfTheLastWholeOne() throws Exception {
        ModularFixture fixture = new ModularFixture(dir);
        ArchitectureAgent agent = Agents.agent(Map.of());
        AgentResult whole = Agents.step(agent, fixture.root, null, 1);
        com.fasterxml.jackson.databind.node.ObjectNode inputs = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode().put("target", fixture.root.toString());
        AgentResult late = agent.step(new io.harmonix.cycle.api.AgentContext("run-1", 2, whole.state(), inputs,
                java.time.Instant.now().minusSeconds(1)));

        assertTrue(late.outputs().path("partial").asBoolean());
        assertEquals(0, late.outputs().path("files").path("analysed").asInt());
        assertEquals(List.of(), FindingCycle.read(late.outputs()).orElseThrow().fixed(), "not reached is not fixed");
        assertEquals(whole.state().path("architecture"), late.state().path("architecture"));
    }

    @Test
    void rulesNameEveryCheckWithHelp() {
        List<Rule> rules = Agents.agent(Map.of()).rules();
        assertEquals(List.of("cycle", "distance-outlier", "layering", "unversioned-export", "unranged-import",
                "private-import", "new-cycle", "instability-growth"), rules.stream().map(Rule::id).toList());
        assertFalse(rules.stream().anyMatch(r -> r.help().isBlank() || r.description().isBlank()),
                rules.stream().map(Rule::id).collect(Collectors.joining(",")));
    }

    static <T> T only(List<T> list) {
        assertEquals(1, list.size(), list.toString());
        return list.get(0);
    }
}
