package io.harmonix.agent.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.TrackedFinding;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow agent over real workflow files in a real git repository, with a history made by running their
 * instances on a real engine: each finding is found where it is written, each proposal passes the validator and,
 * applied with {@code git apply}, leaves the finding fixed in the next cycle; a tight workflow gives nothing.
 */
class WorkflowAgentTest {
    /** Statistics after 5 instances, a task reported once it did not run in 5. */
    static final Settings SETTINGS = new Settings(true, true, 100, 5, 0.2, 10, 1.2, 5);

    @TempDir
    Path dir;
    Fixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    static final String REDUNDANT = """
            # c waits for a through b already
            name: redundant
            version: 1
            tasks:
              a:
                component: test
                action: ok
              b:
                component: test
                action: ok
                input: {v: "${tasks.a.output.x}"}
                depends_on: [a]
              c:
                component: test
                action: ok
                input:
                  from_a: ${tasks.a.output.x}   # a is upstream through b: allowed
                  from_b: ${tasks.b.output.x}
                depends_on:
                  - a    # implied by b
                  - b
            """;

    @Test
    void aRedundantEdgeIsFoundAtItsLineAndItsRemovalFixesIt() throws Exception {
        fx.workflow("wf/redundant.yaml", REDUNDANT);
        CycleFindings first = fx.cycle(SETTINGS);
        assertEquals(1, first.filesTotal(), "the file and the definition deployed from it are one");

        Finding f = only(first, Rules.REDUNDANT.id());
        assertEquals("wf/redundant.yaml", f.location().file());
        assertEquals(20, f.location().line(), "the '- a' entry of c's depends_on");
        assertEquals(Risk.LOW, f.risk());
        assertTrue(f.message().contains("c -> b -> a"), f.message());
        assertTrue(first.findings().stream().noneMatch(t -> t.finding().ruleId().equals(Rules.NEEDLESS.id())),
                "c reads both a and b: no needless sequencing");

        Proposal p = proposalFor(first, f);
        fx.apply(p.diff());
        String fixed = fx.read("wf/redundant.yaml");
        assertEquals(REDUNDANT.replace("      - a    # implied by b\n", ""), fixed,
                "only the entry's line goes; comments and layout stay");
        assertEquals(List.of(), fx.engine.validate("redundant.yaml", fixed));

        CycleFindings second = fx.cycle(SETTINGS);
        assertTrue(second.fixed().stream().anyMatch(x -> x.fingerprint().equals(f.fingerprint())), "fixed");
        assertTrue(second.findings().isEmpty(), second.findings().toString());
    }

    static final String NEEDLESS = """
            name: needless
            version: 1
            tasks:
              fetch: {component: test, action: ok}
              index:
                component: test
                action: ok
                depends_on: [fetch]   # left from an older version
              report:
                component: test
                action: ok
                input: {n: "${tasks.index.output.x}"}
                depends_on: [index]
            """;

    @Test
    void aNeedlessSequenceIsFoundWithAMediumRiskAndItsRemovalFixesIt() throws Exception {
        fx.workflow("wf/needless.yaml", NEEDLESS);
        CycleFindings first = fx.cycle(SETTINGS);

        Finding f = only(first, Rules.NEEDLESS.id());
        assertEquals(8, f.location().line());
        assertEquals(Risk.MEDIUM, f.risk(), "the wait may be there for a side effect");
        assertTrue(f.message().contains("side effect"), f.message());
        assertEquals(1, first.findings().size(), "report reads index: its edge is needed");

        fx.apply(proposalFor(first, f).diff());
        assertEquals(NEEDLESS.replace("    depends_on: [fetch]   # left from an older version\n", ""),
                fx.read("wf/needless.yaml"));
        CycleFindings second = fx.cycle(SETTINGS);
        assertEquals(f.fingerprint(), second.fixed().get(0).fingerprint());
        assertTrue(second.findings().isEmpty(), second.findings().toString());
    }

    @Test
    void aTaskThatReadsOnlyAnUpstreamTaskKeepsWaitingForIt() throws Exception {
        String yaml = """
                name: skip_one
                version: 1
                tasks:
                  a: {component: test, action: ok}
                  b: {component: test, action: ok, depends_on: [a], input: {v: "${tasks.a.output.x}"}}
                  c: {component: test, action: ok, depends_on: [b], input: {v: "${tasks.a.output.x}"}}
                """;
        fx.workflow("wf/skip.yaml", yaml);
        CycleFindings first = fx.cycle(SETTINGS);
        Finding f = only(first, Rules.NEEDLESS.id());
        assertTrue(f.message().contains("'c' waits for 'b'"), f.message());
        fx.apply(proposalFor(first, f).diff());
        assertTrue(fx.read("wf/skip.yaml").contains("c: {component: test, action: ok, depends_on: [a], input:"),
                "b replaced by a, which c reads: " + fx.read("wf/skip.yaml"));
        assertTrue(fx.cycle(SETTINGS).findings().isEmpty());
    }

    @Test
    void aTaskRetriedInMostInstancesIsARetryHotspot() throws Exception {
        fx.workflow("wf/flaky.yaml", """
                name: flaky
                version: 1
                tasks:
                  call:
                    component: test
                    action: flaky
                    input: {fails: 2}
                    retry: {attempts: 3, backoff: fixed, delay: 10ms}
                  steady:
                    component: test
                    action: flaky
                    input: {fails: 0}
                    retry: {attempts: 3, backoff: fixed, delay: 10ms}
                """);
        fx.run("flaky", 6).forEach(i -> assertEquals(3, i.tasks().get(0).attempts(), "a real history of retries"));

        CycleFindings c = fx.cycle(SETTINGS);
        Finding f = only(c, Rules.RETRY.id());
        assertEquals(8, f.location().line(), "at call's retry");
        assertTrue(f.message().contains("6 of its 6"), f.message());
        assertTrue(c.proposals().stream().noneMatch(p -> p.fingerprint().equals(f.fingerprint())),
                "flakiness is the handler's: no change of the YAML fixes it");
    }

    @Test
    void aDurableEngineTellsRetriesByTheHistoryOfEachInstance(@TempDir Path db) throws Exception {
        fx.close();
        fx = new Fixture(dir, db);
        fx.workflow("wf/items.yaml", """
                name: items
                version: 1
                tasks:
                  each:
                    component: test
                    action: flaky
                    input: {fails: "${item == 'b' ? 1 : 0}"}
                    for_each: {items: [a, b, c]}
                    retry: {attempts: 2, delay: 1ms}
                  plain:
                    component: test
                    action: flaky
                    input: {fails: 0}
                    for_each: {items: [a, b, c]}
                    retry: {attempts: 2, delay: 1ms}
                """);
        fx.run("items", 5).forEach(i -> assertTrue(fx.engine.history(i.id()).stream()
                .anyMatch(e -> e.kind().equals("attempt.failed")), "a history with a failed attempt"));
        CycleFindings c = fx.cycle(SETTINGS);
        Finding f = only(c, Rules.RETRY.id());
        assertTrue(f.message().contains("'each'"), "3 attempts over 3 items are no retry: plain is not one; "
                + f.message());
    }

    @Test
    void tooFewInstancesJudgeNothing() throws Exception {
        fx.workflow("wf/flaky.yaml", """
                name: flaky
                version: 1
                tasks:
                  call: {component: test, action: flaky, input: {fails: 1}, retry: {attempts: 2, delay: 1ms}}
                """);
        fx.run("flaky", 4);
        assertTrue(fx.cycle(SETTINGS).findings().stream().allMatch(t -> t.finding().ruleId()
                .equals(Rules.CRITICAL.id())), "4 instances, 5 needed");
    }

    static final String SLOW = """
            name: slow
            version: 1
            tasks:
              work:
                component: test
                action: sleep
                input: {ms: 30}
                timeout: 30s    # "to be safe"
            """;

    @Test
    void aTimeoutFarAboveTheP95IsLoweredToAFewTimesIt() throws Exception {
        fx.workflow("wf/slow.yaml", SLOW);
        fx.run("slow", 6);
        CycleFindings first = fx.cycle(SETTINGS);

        Finding f = only(first, Rules.TIMEOUT_LOOSE.id());
        assertEquals(8, f.location().line());
        Proposal p = proposalFor(first, f);
        fx.apply(p.diff());
        String changed = fx.read("wf/slow.yaml");
        assertTrue(changed.matches("(?s).*timeout: \\d+m?s    # \"to be safe\"\n"), changed);
        assertEquals(List.of(), fx.engine.validate("slow.yaml", changed));

        CycleFindings second = fx.cycle(SETTINGS);
        assertTrue(second.fixed().stream().anyMatch(x -> x.fingerprint().equals(f.fingerprint())));
        assertTrue(second.findings().stream().noneMatch(t -> t.finding().ruleId().startsWith("timeout")),
                "the new timeout is about 3x the p95: " + second.findings());
    }

    @Test
    void aTimeoutBarelyAboveTheP95IsRaised() throws Exception {
        // limits wide enough that no attempt is cut on a loaded machine: "too close" is under 5x here
        Settings wide = new Settings(true, true, 100, 5, 0.2, 50, 5, 5);
        fx.workflow("wf/tight.yaml", SLOW.replace("timeout: 30s", "timeout: 90ms"));
        fx.run("slow", 6);
        CycleFindings first = fx.cycle(wide);
        Finding f = only(first, Rules.TIMEOUT_TIGHT.id());
        fx.apply(proposalFor(first, f).diff());
        CycleFindings second = fx.cycle(wide);
        assertTrue(second.fixed().stream().anyMatch(x -> x.fingerprint().equals(f.fingerprint())));
    }

    @Test
    void aTaskWhoseBranchIsNeverTakenIsReported() throws Exception {
        fx.workflow("wf/branch.yaml", """
                name: branch
                version: 1
                tasks:
                  main: {component: test, action: ok}
                  rare:
                    component: test
                    action: ok
                    when: "false"
                    depends_on: [main]
                    input: {v: "${tasks.main.output.x}"}
                """);
        fx.run("branch", 5);
        Finding f = only(fx.cycle(SETTINGS), Rules.NEVER_REACHED.id());
        assertEquals(5, f.location().line());
        assertTrue(f.message().contains("5 latest instances"), f.message());
    }

    @Test
    void aTightWorkflowGivesOnlyItsCriticalPath() throws Exception {
        fx.workflow("wf/tight.yaml", """
                name: tight
                version: 1
                tasks:
                  a: {component: test, action: sleep, input: {ms: 20}, timeout: 200ms}
                  b: {component: test, action: sleep, input: {ms: 20}}
                  c:
                    component: test
                    action: ok
                    input: {a: "${tasks.a.output.x}", b: "${tasks.b.output.x}"}
                    depends_on: [a, b]
                """);
        fx.run("tight", 6);
        CycleFindings c = fx.cycle(SETTINGS);
        Finding cp = only(c, Rules.CRITICAL.id());
        assertEquals(1, c.findings().size(), c.findings().toString());
        assertTrue(cp.message().matches(".*critical path of tight: [ab] -> c, \\d+% .* add up to 1\\.\\d+x.*"),
                "a and b ran in parallel: " + cp.message());
        assertTrue(c.proposals().isEmpty());
    }

    @Test
    void aDefinitionDeployedFromElsewhereIsReportedInAPseudoFileWithoutProposals() throws Exception {
        fx.write("README.md", "not a workflow\n");
        fx.commit("readme");
        fx.engine.deploy("/opt/elsewhere/flaky.yaml", """
                name: remote
                version: 2
                tasks:
                  a: {component: test, action: ok}
                  b: {component: test, action: flaky, input: {fails: 1}, retry: {attempts: 2, delay: 1ms}, depends_on: [a]}
                """);
        fx.run("remote", 5);
        CycleFindings c = fx.cycle(SETTINGS);
        assertEquals("workflows/remote-v2.yaml", only(c, Rules.NEEDLESS.id()).location().file());
        assertEquals("workflows/remote-v2.yaml", only(c, Rules.RETRY.id()).location().file());
        assertTrue(c.proposals().isEmpty(), "nothing in the target to apply a diff to");
        assertEquals(1, c.notAnalysed().get("md"), "the files it does not analyse are said");
    }

    @Test
    void aChangedFileGetsFindingsButNoProposalAgainstTheCommit() throws Exception {
        fx.workflow("wf/redundant.yaml", REDUNDANT);
        fx.write("wf/redundant.yaml", REDUNDANT + "# edited, not committed\n");
        CycleFindings c = fx.cycle(SETTINGS);
        only(c, Rules.REDUNDANT.id());
        assertTrue(c.proposals().isEmpty());
    }

    @Test
    void aRenamedFileIsChangedUnderItsNewNameAndItsOldNameIsNoOtherFilesName() throws Exception {
        fx.workflow("wf/redundant.yaml", REDUNDANT);
        fx.write("zz/wf/redundant.yaml", NEEDLESS);
        fx.commit("two workflows");
        // git status -z: "R  moved.yaml\0zz/wf/redundant.yaml\0"; the old name, read as an entry, was
        // "wf/redundant.yaml": a file not changed at all
        fx.git("mv", "zz/wf/redundant.yaml", "moved.yaml");
        CycleFindings c = fx.cycle(SETTINGS);

        Finding redundant = only(c, Rules.REDUNDANT.id());
        proposalFor(c, redundant);
        Finding needless = only(c, Rules.NEEDLESS.id());
        assertEquals("moved.yaml", needless.location().file());
        assertTrue(c.proposals().stream().noneMatch(p -> p.fingerprint().equals(needless.fingerprint())),
                "moved.yaml differs from the commit: " + c.proposals());
    }

    @Test
    void aYamlFileNotInUtf8OrOverTwoMibIsCountedAndTheOthersAreAnalysed() throws Exception {
        fx.workflow("wf/redundant.yaml", REDUNDANT);
        java.nio.file.Files.write(dir.resolve("wf/latin.yaml"), ("# caf\u00e9\n" + NEEDLESS)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        fx.write("wf/big.yaml", "# " + "x".repeat(2 * 1024 * 1024) + "\n" + NEEDLESS);
        fx.commit("a Latin-1 workflow and a big one");
        CycleFindings c = fx.cycle(SETTINGS);

        only(c, Rules.REDUNDANT.id());
        assertEquals(1, c.notAnalysed().get("yaml (not UTF-8)"), c.notAnalysed().toString());
        assertEquals(1, c.notAnalysed().get("yaml (over 2 MiB)"), c.notAnalysed().toString());
        assertFalse(c.partial());
    }

    @Test
    void yamlThatIsNotAWorkflowIsCountedNotAnalysed() throws Exception {
        fx.write("ci.yml", "jobs: {build: {runs-on: linux}}\n");
        fx.write("broken.yaml", "a: [\n");
        // a cycle: its graph means nothing to optimise (it would show a -> b -> a as a "redundant" path)
        fx.write("cycle.yaml", "name: cycle\nversion: 1\ntasks:\n  a: {component: test, action: ok, "
                + "depends_on: [b]}\n  b: {component: test, action: ok, depends_on: [a]}\n");
        fx.commit("other yaml");
        CycleFindings c = fx.cycle(SETTINGS);
        assertTrue(c.findings().isEmpty(), c.findings().toString());
        assertEquals(1, c.notAnalysed().get("yaml (invalid workflow definition)"));
        assertEquals(1, c.notAnalysed().get("yaml (not a workflow definition)"));
        assertEquals(1, c.notAnalysed().get("yaml (not valid YAML)"));
        assertFalse(c.partial());
    }

    @Test
    void aChangeTheValidatorRefusesIsNotProposed() throws Exception {
        // without b, `join: any` would have one dependency: the validator refuses that, so the finding stays alone
        fx.workflow("wf/join.yaml", """
                name: join
                version: 1
                tasks:
                  a: {component: test, action: ok}
                  b: {component: test, action: ok}
                  c: {component: test, action: ok, join: any, depends_on: [a, b], input: {v: "${tasks.a?.output}"}}
                """);
        CycleFindings c = fx.cycle(SETTINGS);
        only(c, Rules.NEEDLESS.id());
        assertTrue(c.proposals().isEmpty(), c.proposals().toString());
    }

    @Test
    void aCycleOutOfTimeIsPartialAndReportsNothingFixed() throws Exception {
        fx.workflow("wf/redundant.yaml", REDUNDANT);
        only(fx.cycle(SETTINGS), Rules.REDUNDANT.id());
        CycleFindings late = fx.cycle(SETTINGS, Instant.now().minusSeconds(1));
        assertTrue(late.partial());
        assertEquals(0, late.filesAnalysed());
        assertTrue(late.findings().isEmpty());
        assertTrue(late.fixed().isEmpty(), "not reached is not fixed");
        assertTrue(fx.cycle(SETTINGS).findings().stream().allMatch(t -> t.status()
                == io.harmonix.enhance.api.FindingStatus.PERSISTING), "the finding kept through the partial cycle");
    }

    @Test
    void withoutATargetItIsIdleAndAGivenTargetIsAnalysed(@TempDir Path home) throws Exception {
        WorkflowAgent agent = new WorkflowAgent(fx.engine, home, new WorkflowAgent.Scope("", List.of(), SETTINGS));
        AgentResult idle = agent.step(new AgentContext("run", 1, null, null, Instant.now().plusSeconds(30)));
        assertTrue(idle.outputs().path("idle").asText().startsWith("no target"), idle.outputs().toString());

        fx.workflow("deploy/redundant.yaml", REDUNDANT);
        com.fasterxml.jackson.databind.node.ObjectNode inputs =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        inputs.put(io.harmonix.enhance.api.Target.INPUT_TARGET, dir.toString());
        CycleFindings c = FindingCycle.read(agent.step(new AgentContext("run", 1, null, inputs,
                Instant.now().plusSeconds(30))).outputs()).orElseThrow();
        assertEquals("deploy/redundant.yaml", only(c, Rules.REDUNDANT.id()).location().file(),
                "the run's target input is analysed");
    }

    /** A cycle of {@code agent} with no previous state and no run input, answering by {@code deadline}. */
    private static CycleFindings step(WorkflowAgent agent, Instant deadline) throws Exception {
        return FindingCycle.read(agent.step(new AgentContext("run", 1, null, null, deadline)).outputs())
                .orElseThrow();
    }

    private static Finding only(CycleFindings c, String rule) {
        List<Finding> of = c.findings().stream().map(TrackedFinding::finding).filter(f -> f.ruleId().equals(rule))
                .toList();
        assertEquals(1, of.size(), rule + " in " + c.findings());
        return of.get(0);
    }

    private static Proposal proposalFor(CycleFindings c, Finding f) {
        return c.proposals().stream().filter(p -> p.fingerprint().equals(f.fingerprint())).findFirst()
                .orElseThrow(() -> new AssertionError("no proposal for " + f + " in " + c.proposals()));
    }
}
