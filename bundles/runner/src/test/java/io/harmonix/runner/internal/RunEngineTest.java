package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleEventType;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunEngineTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(CycleSnapshots.schema(), InputFormat.JSON);

    private final RunEngine engine = new RunEngine(new RunnerSettings(4, Duration.ofSeconds(5), 1000, true),
            RunnerLog.console());
    private final AtomicLong serviceIds = new AtomicLong();

    @AfterEach
    void close() throws InterruptedException {
        engine.close(Duration.ofSeconds(5));
    }

    /** An agent whose state counts its cycles: state(n) = state(n-1) + 1. */
    static final Agent COUNTER = ctx -> {
        int n = ctx.firstCycle() ? 1 : ctx.previousState().asInt() + 1;
        return new AgentResult(IntNode.valueOf(n), null, Map.of("count", (double) n));
    };

    private long add(String id, Agent agent) {
        long sid = serviceIds.incrementAndGet();
        engine.addAgent(new AgentInfo(id, "test", 1, "test.bundle"), agent, sid);
        return sid;
    }

    @Test
    void ofSeveralAgentsOfOneIdTheHighestRankingThenTheFirstRegisteredIsTheOneInUse() {
        engine.addAgent(new AgentInfo("files", "test", 1, "first.bundle"), COUNTER, 0, 5);
        engine.addAgent(new AgentInfo("files", "test", 2, "later.bundle"), COUNTER, 0, 6);
        assertEquals("first.bundle", engine.agents().get(0).bundleSymbolicName());
        engine.addAgent(new AgentInfo("files", "test", 3, "ranked.bundle"), COUNTER, 10, 7);
        assertEquals("ranked.bundle", engine.agents().get(0).bundleSymbolicName());
        engine.removeAgent(7);
        engine.removeAgent(5);
        assertEquals(List.of("later.bundle"), engine.agents().stream().map(AgentInfo::bundleSymbolicName).toList());
    }

    /**
     * Adds a listener that keeps every event in {@code into}; the latch returned opens once {@code count} events of
     * type {@code awaited} arrived.
     */
    private CountDownLatch listen(List<CycleEvent> into, CycleEventType awaited, int count) {
        CountDownLatch arrived = new CountDownLatch(count);
        engine.addListener(e -> {
            into.add(e);
            if (e.type() == awaited) {
                arrived.countDown();
            }
        }, "recording");
        return arrived;
    }

    private static List<CycleEvent> ofRun(List<CycleEvent> events, String runId) {
        return events.stream().filter(e -> e.runId().equals(runId)).toList();
    }

    /**
     * A listener told of a run's end reads the run as ended: the waves end a wave when all its runs read so, and a
     * run told of before it counted as ended left a wave running for good (SharedWavesTest, once, on a loaded
     * machine). Many short runs, so that a listener quicker than the run's thread meets that window.
     */
    @Test
    void aRunIsEndedWhenItsEndIsTold() throws Exception {
        add("a", COUNTER);
        List<String> read = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(100); // within the 200 finished runs the runner keeps
        engine.addListener(e -> {
            if (e.type() == CycleEventType.RUN_FINISHED) {
                read.add(e.runId() + " " + engine.run(e.runId()).orElseThrow().state());
                all.countDown();
            }
        }, "reading");
        for (int i = 0; i < 100; i++) {
            engine.start(RunRequest.of(1));
        }
        assertTrue(all.await(LONG.toSeconds(), TimeUnit.SECONDS), read.size() + " ends told");
        assertEquals(List.of(), read.stream().filter(r -> !r.endsWith(" COMPLETED")).toList());
    }

    @Test
    void runsTheCyclesCarriesStateAndProducesSchemaValidSnapshots() throws Exception {
        add("a", COUNTER);
        add("b", COUNTER);
        List<CycleSnapshot> recorded = new CopyOnWriteArrayList<>();
        engine.addRecorder(recorded::add);
        RunInfo run = engine.start(RunRequest.of(5));
        RunInfo done = engine.await(run.runId(), LONG);

        assertEquals(RunState.COMPLETED, done.state());
        assertEquals(5, done.completedCycles());
        assertEquals(5, recorded.size());
        for (int i = 0; i < 5; i++) {
            CycleSnapshot s = recorded.get(i);
            assertEquals(i + 1, s.cycle());
            assertEquals(run.runId() + ":" + (i + 1), s.cycleId());
            assertEquals(CycleStatus.OK, s.status());
            assertEquals(List.of("a", "b"), s.agents().stream().map(AgentEntry::agentId).toList());
            assertEquals((double) (i + 1), s.agent("a").metrics().get("count"));
            assertEquals(CycleSnapshots.digest(IntNode.valueOf(i + 1)), s.agent("b").stateDigest());
            assertEquals(List.of(), SCHEMA.validate(CycleSnapshots.toCanonicalJson(s), InputFormat.JSON));
        }
        assertEquals(recorded, engine.cycles(run.runId(), 0));
        assertEquals(recorded.subList(3, 5), engine.cycles(run.runId(), 3));
    }

    @Test
    void eventsArriveInOrderPerRunEvenWithAFailingAndABlockedListener() throws Exception {
        add("a", COUNTER);
        List<CycleEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        engine.addListener(e -> {
            throw new IllegalStateException("listener bug");
        }, "failing");
        engine.addListener(e -> {
            try {
                release.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }, "blocked");
        CountDownLatch finishedBoth = listen(events, CycleEventType.RUN_FINISHED, 2);

        RunInfo r1 = engine.start(RunRequest.of(4));
        RunInfo r2 = engine.start(RunRequest.of(3));
        assertEquals(RunState.COMPLETED, engine.await(r1.runId(), LONG).state());
        assertEquals(RunState.COMPLETED, engine.await(r2.runId(), LONG).state());
        assertTrue(finishedBoth.await(30, java.util.concurrent.TimeUnit.SECONDS));
        release.countDown();

        for (RunInfo r : List.of(r1, r2)) {
            List<CycleEvent> mine = ofRun(events, r.runId());
            List<CycleEventType> expected = new ArrayList<>();
            expected.add(CycleEventType.RUN_STARTED);
            for (long c = 1; c <= r.cycles(); c++) {
                expected.add(CycleEventType.CYCLE_STARTED);
                expected.add(CycleEventType.CYCLE_COMPLETED);
            }
            expected.add(CycleEventType.RUN_FINISHED);
            assertEquals(expected, mine.stream().map(CycleEvent::type).toList());
            List<Long> completed = mine.stream().filter(e -> e.type() == CycleEventType.CYCLE_COMPLETED)
                    .map(e -> e.snapshot().cycle()).toList();
            assertEquals(java.util.stream.LongStream.rangeClosed(1, r.cycles()).boxed().toList(), completed);
        }
    }

    @Test
    void aThrowingAgentFailsItsEntryAndKeepsItsPreviousState() throws Exception {
        add("ok", COUNTER);
        add("flaky", ctx -> {
            if (ctx.cycle() == 2) {
                throw new IOException("disk on fire");
            }
            return COUNTER.step(ctx);
        });
        RunInfo run = engine.start(RunRequest.of(3));
        RunInfo done = engine.await(run.runId(), LONG);
        List<CycleSnapshot> cycles = engine.cycles(run.runId(), 0);

        assertEquals(RunState.COMPLETED, done.state());
        assertEquals(1, done.failedEntries());
        AgentEntry failed = cycles.get(1).agent("flaky");
        assertEquals(AgentStatus.FAILED, failed.status());
        assertEquals("IOException: disk on fire", failed.error());
        assertEquals(CycleStatus.PARTIAL, cycles.get(1).status());
        assertEquals(CycleSnapshots.digest(IntNode.valueOf(1)), failed.stateDigest());
        // cycle 3 starts from the state of cycle 1, the last one it produced
        assertEquals(2.0, cycles.get(2).agent("flaky").metrics().get("count"));
        assertEquals(3.0, cycles.get(2).agent("ok").metrics().get("count"));
        assertEquals(List.of(), SCHEMA.validate(CycleSnapshots.toCanonicalJson(cycles.get(1)), InputFormat.JSON));
    }

    @Test
    void anAgentThatMissesItsDeadlineTimesOutAndIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        add("slow", ctx -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return AgentResult.of(null);
        });
        add("fast", COUNTER);
        RunInfo run = engine.start(new RunRequest("deadline-run", List.of(), 2, Duration.ZERO,
                Duration.ofMillis(200), null));
        RunInfo done = engine.await(run.runId(), LONG);

        assertEquals(RunState.COMPLETED, done.state());
        CycleSnapshot first = engine.cycles(run.runId(), 0).get(0);
        assertEquals(AgentStatus.TIMEOUT, first.agent("slow").status());
        assertTrue(first.agent("slow").error().contains("200 ms"), first.agent("slow").error());
        assertEquals(AgentStatus.OK, first.agent("fast").status());
        assertTrue(interrupted.await(10, java.util.concurrent.TimeUnit.SECONDS), "the late agent was interrupted");
        assertEquals(List.of(), SCHEMA.validate(CycleSnapshots.toCanonicalJson(first), InputFormat.JSON));
    }

    @Test
    void pauseResumeAndStop() throws Exception {
        add("a", COUNTER);
        List<CycleEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch paused = listen(events, CycleEventType.RUN_PAUSED, 1);
        RunInfo run = engine.start(new RunRequest("p", List.of(), RunRequest.UNTIL_STOPPED, Duration.ofMillis(5),
                null, null));
        while (engine.run("p").orElseThrow().completedCycles() < 3) {
            Thread.sleep(5);
        }
        engine.pause("p");
        assertTrue(paused.await(10, java.util.concurrent.TimeUnit.SECONDS));
        RunInfo atPause = engine.run("p").orElseThrow();
        assertEquals(RunState.PAUSED, atPause.state());
        Thread.sleep(100);
        assertEquals(atPause.completedCycles(), engine.run("p").orElseThrow().completedCycles(),
                "no cycle while paused");

        engine.resume("p");
        while (engine.run("p").orElseThrow().completedCycles() < atPause.completedCycles() + 3) {
            Thread.sleep(5);
        }
        engine.stop(run.runId());
        RunInfo stopped = engine.await("p", LONG);
        assertEquals(RunState.STOPPED, stopped.state());
        assertEquals("on request", stopped.message());
        assertNotNull(stopped.endedAt());
        assertTrue(events.stream().anyMatch(e -> e.type() == CycleEventType.RUN_RESUMED));
        assertThrows(IllegalArgumentException.class, () -> engine.resume("p"));
        // snapshots are contiguous across the pause
        List<Long> numbers = engine.cycles("p", 0).stream().map(CycleSnapshot::cycle).toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, numbers.size()).boxed().toList(), numbers);
    }

    @Test
    void aRecorderFailureFailsTheRunWithoutCountingTheCycle() throws Exception {
        add("a", COUNTER);
        engine.addRecorder(s -> {
            if (s.cycle() == 2) {
                throw new IOException("index full");
            }
        });
        List<CycleEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch finished = listen(events, CycleEventType.RUN_FINISHED, 1);
        RunInfo run = engine.start(RunRequest.of(5));
        RunInfo done = engine.await(run.runId(), LONG);
        assertEquals(RunState.FAILED, done.state());
        assertEquals(1, done.completedCycles());
        assertTrue(done.message().contains("index full"), done.message());
        assertTrue(finished.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(events.stream().anyMatch(e -> e.type() == CycleEventType.CYCLE_FAILED && e.cycle() == 2));
    }

    @Test
    void agentsDeployedDuringARunOfAllAgentsJoinTheNextCycleAndRemovedOnesLeave() throws Exception {
        add("a", COUNTER);
        RunInfo run = engine.start(new RunRequest("all", List.of(), RunRequest.UNTIL_STOPPED, Duration.ofMillis(5),
                null, null));
        while (engine.run("all").orElseThrow().completedCycles() < 2) {
            Thread.sleep(2);
        }
        long b = add("b", COUNTER);
        long joinedAt = waitForCycleWith("b", true, 0);
        engine.removeAgent(b);
        long leftAt = waitForCycleWith("b", false, joinedAt);
        engine.stop(run.runId());
        engine.await(run.runId(), LONG);
        CycleSnapshot joined = engine.cycles("all", joinedAt - 1).get(0);
        assertEquals(1.0, joined.agent("b").metrics().get("count"), "b starts with no state");
        assertNull(engine.cycles("all", leftAt - 1).get(0).agent("b"));
    }

    private long waitForCycleWith(String agent, boolean present, long after) throws InterruptedException {
        while (true) {
            for (CycleSnapshot s : engine.cycles("all", after)) {
                if ((s.agent(agent) != null) == present) {
                    return s.cycle();
                }
            }
            Thread.sleep(2);
        }
    }

    @Test
    void requestedAgentsThatGoAwayFailTheirEntries() throws Exception {
        long a = add("a", COUNTER);
        RunInfo run = engine.start(new RunRequest("named", List.of("a"), RunRequest.UNTIL_STOPPED,
                Duration.ofMillis(5), null, null));
        while (engine.run("named").orElseThrow().completedCycles() < 1) {
            Thread.sleep(2);
        }
        engine.removeAgent(a);
        while (engine.run("named").orElseThrow().failedEntries() < 1) {
            Thread.sleep(2);
        }
        engine.stop(run.runId());
        engine.await(run.runId(), LONG);
        AgentEntry gone = engine.cycles("named", 0).stream().map(s -> s.agent("a"))
                .filter(e -> e.status() == AgentStatus.FAILED).findFirst().orElseThrow();
        assertEquals("agent 'a' is not present", gone.error());
    }

    @Test
    void whileTheRuntimeStopsNoCycleIsCommittedAndTheRunIsInterruptedNotFailedByItsAgentsGoing() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        engine.whenStopping(stopping::get);
        List<CycleSnapshot> committed = new CopyOnWriteArrayList<>();
        engine.addRecorder(s -> {
            if (s.runId().equals("stopping")) {
                committed.add(s);
            }
        });
        long a = add("a", COUNTER);
        engine.start(new RunRequest("stopping", List.of("a"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(5), null,
                null));
        while (committed.size() < 2) {
            Thread.sleep(2);
        }
        // the framework stops its bundles one after the other: the agent's bundle before the runner's
        stopping.set(true);
        engine.removeAgent(a);
        long end = System.nanoTime() + LONG.toNanos();
        while (engine.run("stopping").map(r -> r.state() == RunState.RUNNING).orElse(false)
                && System.nanoTime() < end) {
            Thread.sleep(2);
        }
        RunState state = engine.run("stopping").map(RunInfo::state).orElse(RunState.INTERRUPTED);
        assertEquals(RunState.INTERRUPTED, state, "resumable, not failed nor stopped");
        assertEquals(List.of(), committed.stream().map(s -> s.agent("a")).filter(e -> e.status() != AgentStatus.OK)
                .toList(), "no cycle committed without its agent");
    }

    @Test
    void severalRunsGoAtOnceEachContiguous() throws Exception {
        add("a", COUNTER);
        Map<String, List<Long>> byRun = new java.util.concurrent.ConcurrentHashMap<>();
        engine.addRecorder(s -> byRun.computeIfAbsent(s.runId(), k -> new CopyOnWriteArrayList<>()).add(s.cycle()));
        List<RunInfo> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(engine.start(RunRequest.of(20)));
        }
        for (RunInfo r : runs) {
            assertEquals(RunState.COMPLETED, engine.await(r.runId(), LONG).state());
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(), byRun.get(r.runId()));
            assertEquals(20.0, engine.cycles(r.runId(), 19).get(0).agent("a").metrics().get("count"));
        }
    }

    @Test
    void badRequestsAreRefusedWithWhatWasWrong() {
        add("a", COUNTER);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> engine.start(RunRequest.of(1, "a", "nope")));
        assertEquals("unknown agent 'nope'; present: a", unknown.getMessage());
        engine.start(new RunRequest("x", List.of(), 1, null, null, null));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> engine.start(new RunRequest("x", List.of(), 1, null, null, null))).getMessage()
                .contains("exists already"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> engine.start(new RunRequest("bad id!", List.of(), 1, null, null, null))).getMessage()
                .contains("must be 1-64 letters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.pause("ghost")).getMessage()
                .startsWith("unknown run 'ghost'"));
        assertThrows(IllegalArgumentException.class, () -> RunRequest.of(-1));
    }

    @Test
    void agentsAreListedByIdAndBadIdsIgnored() {
        add("zeta", COUNTER);
        add("alpha", COUNTER);
        add("has space", COUNTER);
        assertEquals("alpha,zeta", engine.agents().stream().map(AgentInfo::agentId).collect(Collectors.joining(",")));
    }
}
