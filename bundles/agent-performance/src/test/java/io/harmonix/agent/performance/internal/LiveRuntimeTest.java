package io.harmonix.agent.performance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.runner.internal.JournalGate;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.state.testing.StateFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in a live runtime: a journaled runner over a real Derby runs real agents, one of which gets slower
 * after a number of cycles, and the performance agent, run by the same runner, reads the runner's cycles.
 */
class LiveRuntimeTest {
    @TempDir
    Path dir;
    private StateFixture db;
    private RunEngine engine;
    private final SleepingAgent slowing = new SleepingAgent(20, 30, 20); // 20 ms for 20 cycles, then 30 ms
    private final SleepingAgent steady = new SleepingAgent(20, 20, 0);
    private PerformanceAgent performance;

    /** Sleeps {@code before} ms each cycle, {@code after} ms from cycle {@code k + 1} on. */
    record SleepingAgent(long before, long after, long k) implements Agent {
        @Override
        public AgentResult step(AgentContext context) throws InterruptedException {
            Thread.sleep(context.cycle() > k ? after : before);
            return AgentResult.of(JsonNodeFactory.instance.numberNode(context.cycle()));
        }
    }

    @BeforeEach
    void open() throws Exception {
        Map<String, Agent> agents = Map.of("slowing", slowing, "steady", steady);
        db = StateFixture.open(dir.resolve("db"), id -> id.equals(Analyser.TYPE) ? performance : agents.get(id));
        JournalGate gate = new JournalGate();
        gate.set(db.journal());
        engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(60), 100, false), RunnerLog.console(), gate);
        engine.addRecorder(s -> { }); // the index's place: a journaled runner commits only what a recorder took
        performance = new PerformanceAgent(engine, dir, new PerformanceAgent.Scope("", Settings.defaults()));
        AtomicLong id = new AtomicLong();
        engine.addAgent(new AgentInfo("slowing", "sleep", 1, "test"), slowing, id.incrementAndGet());
        engine.addAgent(new AgentInfo("steady", "sleep", 1, "test"), steady, id.incrementAndGet());
        engine.addAgent(new AgentInfo(Analyser.TYPE, Analyser.TYPE, 1, "test"), performance, id.incrementAndGet());
    }

    @AfterEach
    void close() throws Exception {
        engine.close(Duration.ofSeconds(10));
        db.close();
    }

    @Test
    void theRegressionOfASlowedAgentIsFoundFromTheRunnersCycles() throws Exception {
        finish(engine.start(new RunRequest("work", List.of("slowing", "steady"), 40, Duration.ZERO, null, null)));
        RunInfo watch = finish(engine.start(new RunRequest("watch", List.of(Analyser.TYPE), 2, Duration.ZERO, null,
                null)));

        List<CycleSnapshot> cycles = engine.cycles(watch.runId(), 0);
        CycleFindings first = FindingCycle.read(cycles.get(0).agent(Analyser.TYPE).outputs()).orElseThrow();
        TrackedFinding regression = only(first, "telemetry/runner/slowing");
        assertEquals("duration-regression", regression.finding().ruleId());
        assertEquals(FindingStatus.NEW, regression.status());
        assertTrue(regression.finding().evidence().contains("one-sided p = "), regression.finding().evidence());
        assertTrue(regression.finding().message().startsWith("steps of agent slowing are "),
                regression.finding().message());
        assertEquals(Optional.empty(), first.findings().stream()
                .filter(f -> f.finding().location().file().equals("telemetry/runner/steady")).findFirst(),
                "the steady agent is not flagged");
        // the runtime itself is the target: its home, no commit
        assertEquals(dir.toAbsolutePath().normalize().toString(), first.target());
        assertEquals(PerformanceAgent.NO_COMMIT, first.commit());

        first.findings().forEach(f -> System.out.printf("%s  %s  %s  %s%n    %s%n", f.finding().location(),
                f.finding().severity().id(), f.finding().ruleId(), f.finding().message(), f.finding().evidence()));
        System.out.println("not analysed: " + first.notAnalysed());
        CycleFindings second = FindingCycle.read(cycles.get(1).agent(Analyser.TYPE).outputs()).orElseThrow();
        assertEquals(FindingStatus.PERSISTING, only(second, "telemetry/runner/slowing").status());
        for (CycleSnapshot c : cycles) {
            AgentEntry e = c.agent(Analyser.TYPE);
            System.out.printf("performance agent, cycle %d: step %d ms (its own measure %.1f ms), %.0f series%n",
                    c.cycle(), e.durationMillis(), e.metrics().get("selfMillis"), e.metrics().get("filesTotal"));
        }
    }

    @Test
    void aP95CloseToTheRunsDeadlineIsFound() throws Exception {
        SleepingAgent tight = new SleepingAgent(170, 170, 0);
        engine.addAgent(new AgentInfo("tight", "sleep", 1, "test"), tight, 10);
        finish(engine.start(new RunRequest("tight-run", List.of("tight", "steady"), 6, Duration.ZERO,
                Duration.ofMillis(200), null)));
        finish(engine.start(new RunRequest("watch", List.of(Analyser.TYPE), 1, Duration.ZERO, null, null)));

        CycleFindings found = FindingCycle.read(engine.cycles("watch", 0).get(0).agent(Analyser.TYPE).outputs())
                .orElseThrow();
        TrackedFinding near = only(found, "telemetry/runner/tight");
        assertEquals("p95-near-deadline", near.finding().ruleId());
        assertTrue(near.finding().evidence().endsWith("deadline 200 ms"), near.finding().evidence());
        assertTrue(found.findings().stream().noneMatch(f -> f.finding().location().file()
                .equals("telemetry/runner/steady")), "20 ms of 200 is far from the deadline");
    }

    /**
     * The overhead of the agent on the durable cycle rate: the same journaled runner runs 150 cycles of a trivial
     * agent alone, with a second trivial agent (what any second agent costs: its step, its state journaled), and
     * with the performance agent, in turn, three times each after a warm-up; it prints the median rates and the
     * agent's median own cost per cycle. The agents of a cycle run in parallel (a pool of 2).
     */
    @Test
    void overheadOnTheDurableCycleRate() throws Exception {
        engine.addAgent(new AgentInfo("tick", "sleep", 1, "test"), new SleepingAgent(0, 0, 0), 20);
        engine.addAgent(new AgentInfo("tock", "sleep", 1, "test"), new SleepingAgent(0, 0, 0), 21);
        finish(engine.start(new RunRequest("warm-up", List.of("tick", "tock", Analyser.TYPE), 50, Duration.ZERO,
                null, null)));
        Map<String, List<String>> variants = Map.of("alone", List.of("tick"), "with a trivial agent",
                List.of("tick", "tock"), "with the performance agent", List.of("tick", Analyser.TYPE));
        Map<String, double[]> rates = new java.util.TreeMap<>();
        List<Double> selfMillis = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                String runId = v.getKey().replace(' ', '-') + "-" + i;
                rates.computeIfAbsent(v.getKey(), k -> new double[3])[i] = rate(runId, v.getValue());
                engine.cycles(runId, 0).stream().map(c -> c.agent(Analyser.TYPE)).filter(e -> e != null)
                        .forEach(e -> selfMillis.add(e.metrics().get("selfMillis")));
            }
        }
        rates.forEach((k, r) -> System.out.printf("durable cycles/s %s: median %.0f of %s%n", k,
                Statistics.median(r), java.util.Arrays.toString(r)));
        System.out.printf("performance agent's own cost per cycle: median %.2f ms, p95 %.2f ms over %d cycles%n",
                Statistics.median(selfMillis.stream().mapToDouble(Double::doubleValue).toArray()),
                Statistics.quantile(selfMillis.stream().mapToDouble(Double::doubleValue).toArray(), 0.95),
                selfMillis.size());
        assertEquals(450, selfMillis.size());
    }

    private double rate(String runId, List<String> agents) throws InterruptedException {
        long start = System.nanoTime();
        RunInfo done = finish(engine.start(new RunRequest(runId, agents, 150, Duration.ZERO, null, null)));
        assertEquals(150, done.completedCycles());
        return 150 / ((System.nanoTime() - start) / 1e9);
    }

    private RunInfo finish(RunInfo run) throws InterruptedException {
        RunInfo done = engine.await(run.runId(), Duration.ofSeconds(60));
        assertEquals(RunState.COMPLETED, done.state(), () -> done.toString());
        return done;
    }

    private static TrackedFinding only(CycleFindings found, String file) {
        List<TrackedFinding> at = found.findings().stream()
                .filter(f -> f.finding().location().file().equals(file)).toList();
        assertEquals(1, at.size(), () -> file + ": " + found.findings());
        return at.get(0);
    }
}
