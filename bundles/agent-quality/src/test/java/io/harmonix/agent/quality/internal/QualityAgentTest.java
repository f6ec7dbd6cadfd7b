package io.harmonix.agent.quality.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.TargetException;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.enhance.api.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as the runner calls it: its configuration, its cycles, its target and its deadline. */
class QualityAgentTest {
    static final String UNUSED = """
            import java.util.Map;

            class Shelf {
                private int spare = 1;

                int f(int a, int b, int c, int d) {
                    if (a > 0) {
                        if (b > 0) {
                            if (c > 0) {
                                if (d > 0) {
                                    return 1;
                                }
                            }
                        }
                    }
                    return 0;
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void fingerprintsSurviveALineInsertedAboveAndTheFindingsPersist() throws Exception {
        GitRepo repo = GitRepo.init(dir).write("Shelf.java", UNUSED)
                .write("a/First.java", QualityRulesFamiliesTest.copying("First"))
                .write("b/Second.java", QualityRulesFamiliesTest.copying("Second")).commit("shelf");
        AgentHarness harness = new AgentHarness(dir, Map.of("target", dir.toString()));
        CycleFindings first = harness.cycle();
        assertEquals(Set.of("UnnecessaryImport", "UnusedPrivateField", "AvoidDeeplyNestedIfStmts",
                QualityRules.DUPLICATED_CODE), first.findings().stream().map(t -> t.finding().ruleId())
                .collect(Collectors.toSet()));
        assertTrue(first.findings().stream().allMatch(t -> t.status() == FindingStatus.NEW));

        repo.write("Shelf.java", "// a comment about the shelf\n\n" + UNUSED.replace("class Shelf {",
                "class Shelf {\n    int unrelated() {\n        return 7;\n    }\n"));
        repo.write("a/First.java", "// moved down\n" + repo.read("a/First.java"));
        CycleFindings second = harness.cycle();
        assertEquals(prints(first), prints(second));
        assertTrue(second.findings().stream().allMatch(t -> t.status() == FindingStatus.PERSISTING),
                second.findings().toString());
        assertEquals(List.of(), second.fixed());
        Finding nested = second.findings().stream().map(TrackedFinding::finding)
                .filter(f -> f.ruleId().equals("AvoidDeeplyNestedIfStmts")).findFirst().orElseThrow();
        assertEquals(16, nested.location().line(), "the finding moved down (from 10), its fingerprint did not change");
    }

    @Test
    void aPassedDeadlineGivesAPartialAnalysisThatReportsNothingFixed() throws Exception {
        GitRepo.init(dir).write("Shelf.java", UNUSED).commit("shelf");
        AgentHarness harness = new AgentHarness(dir, Map.of("target", dir.toString()));
        CycleFindings full = harness.cycle();
        assertFalse(full.partial());
        assertEquals(1, full.filesAnalysed());

        CycleFindings late = harness.cycle(Instant.now().minusSeconds(1));
        assertTrue(late.partial());
        assertEquals(0, late.filesAnalysed());
        assertEquals(1, late.filesTotal());
        assertEquals(List.of(), late.fixed(), "not reached is not fixed");
    }

    @Test
    void theDeadlineIsCheckedBetweenFilesAndTheFilesNotReachedAreNotAnalysed() throws Exception {
        GitRepo repo = GitRepo.init(dir);
        for (int i = 1; i <= 5; i++) {
            repo.write("C" + i + ".java", "import java.util.List;\n\nclass C" + i + " {\n}\n");
        }
        repo.commit("five");
        AtomicInteger checks = new AtomicInteger();
        Analysis analysis = new QualityScan(QualityRules.load(null, QualityRules.Thresholds.RULESET), 100)
                .analyse(repo.target(), () -> checks.incrementAndGet() > 2, (done, total) -> { });
        assertTrue(analysis.partial());
        assertEquals(2, analysis.filesAnalysed());
        assertEquals(5, analysis.filesTotal());
        assertEquals(2, analysis.findings().size(), "only the files analysed have findings: "
                + analysis.findings());
        assertEquals(2, analysis.proposals().size());
    }

    @Test
    void progressIsReportedEvery25FilesAndAtTheEndToTheScanProgressService() throws Exception {
        GitRepo repo = GitRepo.init(dir);
        for (int i = 1; i <= 30; i++) {
            repo.write("src/C" + i + ".java", "class C" + i + " {\n}\n");
        }
        repo.commit("thirty");
        AgentHarness harness = new AgentHarness(dir, Map.of("target", dir.toString()));
        List<String> updates = new CopyOnWriteArrayList<>();
        harness.agent.progress = (run, agent, done, total) -> updates.add(run + " " + agent + " " + done + "/" + total);
        harness.cycle();
        assertEquals(List.of("run-1 quality.test 25/30", "run-1 quality.test 30/30"), updates);
    }

    @Test
    void sourcesOfOtherLanguagesAreListedAsNotAnalysedAndDocsAndDataAreNot() throws Exception {
        GitRepo.init(dir).write("Shelf.java", UNUSED).write("app/main.kt", "fun main() {}\n")
                .write("tools/build.kts", "plugins {}\n").write("scripts/run.py", "print(1)\n")
                .write("web/app.ts", "export {}\n").write("web/util.js", "module.exports = {}\n")
                .write("cmd/main.go", "package main\n").write("native/lib.rs", "fn f() {}\n")
                .write("native/x.c", "int x;\n").write("native/x.h", "int x;\n")
                .write("README.md", "# shelf\n").write("data.json", "{}\n").write("ci.yaml", "a: 1\n")
                .write("pom.xml", "<project/>\n").write("app.properties", "a=1\n").commit("polyglot");
        CycleFindings cycle = new AgentHarness(dir, Map.of("target", dir.toString())).cycle();
        assertEquals(Map.of("kotlin", 2, "python", 1, "typescript", 1, "javascript", 1, "go", 1, "rust", 1,
                "c", 2), cycle.notAnalysed());
        assertEquals(1, cycle.filesTotal());
    }

    @Test
    void aBadTargetIsATargetExceptionThatSaysWhatIsWrong() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        TargetException notDir = assertThrows(TargetException.class,
                () -> new AgentHarness(dir, Map.of("target", file.toString())).cycle());
        assertEquals("target " + file + " is not a directory", notDir.getMessage());

        Path plain = Files.createDirectory(dir.resolve("plain"));
        TargetException notGit = assertThrows(TargetException.class,
                () -> new AgentHarness(dir, Map.of("target", "plain")).cycle());
        assertTrue(notGit.getMessage().startsWith("target " + plain + " is not a git repository"),
                notGit.getMessage());

        GitRepo.init(dir.resolve("repo")).write("A.java", "class A {}\n").commit("a");
        TargetException unknown = assertThrows(TargetException.class, () -> new AgentHarness(dir,
                Map.of("target", "repo", "components", "bundles/missing")).cycle());
        assertTrue(unknown.getMessage().startsWith("unknown component 'bundles/missing'"), unknown.getMessage());
    }

    @Test
    void aConfiguredRulesetReplacesTheShippedOneAndItsRulesAreWhatRulesLists() throws Exception {
        GitRepo repo = GitRepo.init(dir).write("Shelf.java", UNUSED).write("quality/only-fields.xml", """
                <?xml version="1.0"?>
                <ruleset name="fields only" xmlns="http://pmd.sourceforge.net/ruleset/2.0.0">
                  <description>only unused fields</description>
                  <rule ref="category/java/bestpractices.xml/UnusedPrivateField">
                    <priority>2</priority>
                  </rule>
                </ruleset>
                """).commit("shelf");
        AgentHarness harness = new AgentHarness(dir, Map.of("target", dir.toString(),
                "ruleset", "quality/only-fields.xml", "minimumTokens", 500));
        CycleFindings cycle = harness.cycle();
        assertEquals(List.of("UnusedPrivateField"), cycle.findings().stream().map(t -> t.finding().ruleId())
                .toList());
        assertEquals(Severity.HIGH, cycle.findings().get(0).finding().severity(), "priority 2 is high");

        List<Rule> rules = harness.agent.rules();
        assertEquals(List.of("UnusedPrivateField", QualityRules.DUPLICATED_CODE), rules.stream().map(Rule::id)
                .toList());
        Rule field = rules.get(0);
        assertEquals(Severity.HIGH, field.severity());
        assertTrue(field.description().startsWith("Detects when a private field is declared and/or assigned"),
                field.description());
        assertTrue(field.help().endsWith("https://docs.pmd-code.org/pmd-doc-7.27.0/"
                + "pmd_rules_java_bestpractices.html#unusedprivatefield"), field.help());
        assertTrue(repo.root().resolve("quality/only-fields.xml").toFile().isFile());
    }

    @Test
    void theShippedRulesAreListedAndAThresholdSettingChangesWhatIsReported() throws Exception {
        List<String> shipped = new AgentHarness(dir, Map.of()).agent.rules().stream().map(Rule::id).toList();
        assertEquals(List.of("CyclomaticComplexity", "CognitiveComplexity", "NcssCount", "GodClass",
                "AvoidDeeplyNestedIfStmts", "UnusedPrivateField", "UnusedLocalVariable", "UnusedPrivateMethod",
                "UnusedFormalParameter", "UnnecessaryImport", QualityRules.DUPLICATED_CODE), shipped);

        String branches = IntStream.rangeClosed(1, 4).mapToObj(i -> "        if (x == " + i + ") { return " + i
                + "; }\n").collect(Collectors.joining());
        GitRepo.init(dir).write("Small.java", "class Small {\n    int f(int x) {\n" + branches
                + "        return 0;\n    }\n}\n").commit("small");
        Map<String, Object> target = Map.of("target", dir.toString());
        assertEquals(List.of(), new AgentHarness(dir, target).cycle().findings(), "complexity 5 is fine at 10");
        Map<String, Object> strict = new java.util.HashMap<>(target);
        strict.put("methodComplexity", 4);
        List<String> found = new AgentHarness(dir, strict).cycle().findings().stream()
                .map(t -> t.finding().ruleId()).toList();
        assertEquals(List.of("CyclomaticComplexity"), found);

        strict.put("methodComplexity", -1);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new AgentHarness(dir, strict).cycle());
        assertEquals("methodComplexity must be a positive number (0: the ruleset's value); was -1",
                bad.getMessage());
    }

    @Test
    void aMissingRulesetSaysWhereItWasLookedFor() throws Exception {
        GitRepo.init(dir).write("A.java", "class A {}\n").commit("a");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new AgentHarness(dir,
                Map.of("target", dir.toString(), "ruleset", "rules/none.xml")).cycle());
        assertEquals("ruleset 'rules/none.xml' of agent quality.test not found: looked at [" + dir.resolve(
                "rules/none.xml") + ", " + dir.resolve("rules/none.xml") + "]", missing.getMessage());
    }

    @Test
    void aConfiguredRulesetGoneMissingListsTheShippedRulesButFailsTheCycle() throws Exception {
        GitRepo repo = GitRepo.init(dir).write("Shelf.java", UNUSED).write("quality/only-fields.xml", """
                <?xml version="1.0"?>
                <ruleset name="fields only" xmlns="http://pmd.sourceforge.net/ruleset/2.0.0">
                  <description>only unused fields</description>
                  <rule ref="category/java/bestpractices.xml/UnusedPrivateField"/>
                </ruleset>
                """).commit("shelf");
        AgentHarness harness = new AgentHarness(dir, Map.of("target", dir.toString(),
                "ruleset", "quality/only-fields.xml", "minimumTokens", 500));
        harness.cycle();
        repo.delete("quality/only-fields.xml").commit("the ruleset goes");

        List<String> shipped = new AgentHarness(dir, Map.of()).agent.rules().stream().map(Rule::id).toList();
        assertEquals(shipped, harness.agent.rules().stream().map(Rule::id).toList());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, harness::cycle);
        assertTrue(missing.getMessage().startsWith("ruleset 'quality/only-fields.xml' of agent quality.test not "
                + "found"), missing.getMessage());
    }

    private static Set<String> prints(CycleFindings cycle) {
        return cycle.findings().stream().map(t -> t.finding().fingerprint()).collect(Collectors.toCollection(
                TreeSet::new));
    }
}
