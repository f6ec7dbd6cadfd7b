package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.StateStore;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.testing.StateFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with its journal on a real Derby database: checkpoints, resume, waiting for the journal, forks. */
class DurableRunTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    /** state(n) = state(n-1) * 31 + cycle: any cycle missing, repeated or out of order changes the end state. */
    static final Agent CHAIN = ctx -> {
        long previous = ctx.firstCycle() ? 7 : ctx.previousState().asLong();
        return AgentResult.of(com.fasterxml.jackson.databind.node.LongNode.valueOf(previous * 31 + ctx.cycle()));
    };

    @TempDir
    Path dir;

    private StateFixture db;
    private RunJournal journal;
    private StateStore states;
    private final JournalGate gate = new JournalGate();
    private final List<RunEngine> engines = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = StateFixture.open(dir, id -> id.equals("chain") ? CHAIN : null);
        journal = db.journal();
        states = db.states();
        gate.set(journal);
    }

    @AfterEach
    void close() throws Exception {
        for (RunEngine e : engines) {
            e.close(Duration.ofSeconds(5));
        }
        db.close();
    }

    /** Records cycles as the index would, in memory: what the runner handed over, in order. */
    private final List<String> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final io.harmonix.cycle.api.CycleRecorder recorder = s -> recorded.add(s.cycleId());

    private RunEngine engine() {
        return engine(recorder);
    }

    private RunEngine engine(io.harmonix.cycle.api.CycleRecorder withRecorder) {
        RunEngine e = new RunEngine(new RunnerSettings(4, Duration.ofSeconds(10), 5, true), RunnerLog.console(), gate);
        e.addAgent(new AgentInfo("chain", "test", 1, "test"), CHAIN, 1);
        e.addRecorder(withRecorder);
        engines.add(e);
        return e;
    }

    static long expectedChain(long cycles) {
        long s = 7;
        for (long c = 1; c <= cycles; c++) {
            s = s * 31 + c;
        }
        return s;
    }

    private void awaitCycle(RunEngine e, String run, long cycle) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (e.run(run).orElseThrow().completedCycles() < cycle) {
            assertTrue(System.nanoTime() < end, "run " + run + " reached cycle " + cycle);
            Thread.sleep(2);
        }
    }

    /**
     * Runs {@code cycles} chain cycles as {@code runId}, takes something the run needs away once it is under way
     * ({@code takeAway}) and brings it back a while later: no cycle may complete in between ({@code why} says why),
     * and the run must complete once it is back.
     */
    private void runWhileAway(String runId, int cycles, Consumer<RunEngine> takeAway, Consumer<RunEngine> bringBack,
            String why) throws InterruptedException {
        RunEngine e = engine();
        e.start(new RunRequest(runId, List.of("chain"), cycles, Duration.ofMillis(1), null, null));
        awaitCycle(e, runId, 3);
        takeAway.accept(e);
        Thread.sleep(100); // a cycle under way as it went may still complete
        long stuck = e.run(runId).orElseThrow().completedCycles();
        Thread.sleep(300);
        assertEquals(stuck, e.run(runId).orElseThrow().completedCycles(), why);
        bringBack.accept(e);
        assertEquals(RunState.COMPLETED, e.await(runId, LONG).state());
    }

    /**
     * Starts a run of {@code cycles} chain cycles and closes its engine once {@code cycle} is done: the runner going
     * away (a stop, a crash) under a run, which the journal keeps as running.
     */
    private void interruptAt(String runId, int cycles, long cycle) throws InterruptedException {
        RunEngine first = engine();
        first.start(new RunRequest(runId, List.of("chain"), cycles, Duration.ofMillis(2), null, null));
        awaitCycle(first, runId, cycle);
        first.close(Duration.ofSeconds(5));
    }

    private List<Long> journaledCycles(String run) throws Exception {
        return journal.cycles(run, 0, Integer.MAX_VALUE).stream().map(CycleSnapshot::cycle).toList();
    }

    @Test
    void aRunInterruptedByTheRunnerGoingAwayResumesFromItsLastCheckpoint() throws Exception {
        interruptAt("r", 60, 10);
        long committed = journal.run("r").orElseThrow().lastCycle();
        assertEquals("running", journal.run("r").orElseThrow().state(), "an interrupted run stays resumable");
        assertEquals(RunState.INTERRUPTED, engine().run("r").orElseThrow().state());

        RunEngine second = engines.get(engines.size() - 1);
        assertEquals(List.of("r"), second.resumeInterrupted());
        RunInfo done = second.await("r", LONG);
        assertEquals(RunState.COMPLETED, done.state());
        assertTrue(committed >= 10);
        assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), journaledCycles("r"));
        assertEquals(expectedChain(60), states.latest("chain", "r").orElseThrow().payload().asLong());
        assertEquals("completed", journal.run("r").orElseThrow().state());
        // the history of a finished run is read back from the journal
        assertEquals(60, second.cycles("r", 0).size());
    }

    @Test
    void anAutomaticResumeWaitsForTheRunsAgentsToArrive() throws Exception {
        interruptAt("late", 20, 5);

        // a runtime starting: the runner is up before the agent's bundle
        RunEngine second = new RunEngine(new RunnerSettings(4, Duration.ofSeconds(10), 5, true), RunnerLog.console(), gate);
        second.addRecorder(recorder);
        engines.add(second);
        Thread agentArrives = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            second.addAgent(new AgentInfo("chain", "test", 1, "test"), CHAIN, 1);
        });
        agentArrives.start();
        assertEquals(List.of("late"), second.resumeInterrupted(Duration.ofSeconds(10)));
        assertEquals(RunState.COMPLETED, second.await("late", LONG).state());
        // no cycle ran without the agent: its chain went through every cycle
        assertEquals(expectedChain(20), states.latest("chain", "late").orElseThrow().payload().asLong());
        agentArrives.join();
    }

    @Test
    void runsWaitWhileTheJournalIsAwayAndLoseNothing() throws Exception {
        runWhileAway("w", 40, e -> gate.clear(journal), e -> gate.set(journal), "no cycle counts without a checkpoint");
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), journaledCycles("w"));
        assertEquals(expectedChain(40), states.latest("chain", "w").orElseThrow().payload().asLong());
    }

    @Test
    void runsWaitWhileNoRecorderIsPresentSoTheIndexMissesNoCycle() throws Exception {
        runWhileAway("rec", 30, e -> e.removeRecorder(recorder), e -> e.addRecorder(recorder),
                "no cycle commits without a recorder");
        assertEquals(LongStream.rangeClosed(1, 30).mapToObj(c -> "rec:" + c).toList(), recorded);
    }

    @Test
    void aCycleCommittedButNotRecordedFailsTheRunAndIsRecordedWhenTheRunResumes() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean indexBroken = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<CycleSnapshot> indexed = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.harmonix.cycle.api.CycleRecorder flaky = s -> {
            if (indexBroken.get() && s.cycle() >= 4) {
                throw new java.io.IOException("index broken");
            }
            if (indexed.stream().noneMatch(x -> x.cycleId().equals(s.cycleId()))) {
                indexed.add(s); // idempotent on the cycle, as the index is
            }
        };
        RunEngine first = engine(flaky);
        first.start(new RunRequest("m", List.of("chain"), 10, Duration.ZERO, null, null));
        RunInfo failed = first.await("m", LONG);
        assertEquals(RunState.FAILED, failed.state(), "a recorder that keeps refusing fails the run");
        assertEquals("cycle 4 is committed, but the index could not record it: index broken", failed.message());
        assertEquals(4, journal.run("m").orElseThrow().lastCycle(), "the run does not get ahead of its index");
        assertEquals("failed", journal.run("m").orElseThrow().state());
        assertEquals(3, indexed.size());
        first.close(Duration.ofSeconds(5)); // the runtime goes down with cycle 4 committed but not recorded

        indexBroken.set(false);
        RunEngine second = engine(flaky);
        assertTrue(second.resumeInterrupted().isEmpty(), "a failed run waits for cycle:resume");
        second.resume("m");
        assertEquals(RunState.COMPLETED, second.await("m", LONG).state());
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), indexed.stream().map(CycleSnapshot::cycle).toList());
        assertEquals(journal.cycles("m", 3, 1).get(0), indexed.get(3), "the index holds the committed snapshot itself");
        assertEquals(expectedChain(10), states.latest("chain", "m").orElseThrow().payload().asLong());
    }

    @Test
    void aRunFailedOnItsIndexIsCaughtUpWhenARunnerStartsInAnyMode() throws Exception {
        List<String> indexed = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean(false);
        io.harmonix.cycle.api.CycleRecorder index = s -> {
            if (away.get()) {
                throw new java.io.IOException("index away");
            }
            if (!indexed.contains(s.cycleId())) {
                indexed.add(s.cycleId());
            }
        };
        RunEngine first = engine(index);
        first.start(new RunRequest("s", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(1), null, null));
        awaitCycle(first, "s", 3);
        away.set(true);
        assertEquals(RunState.FAILED, first.await("s", LONG).state());
        long last = journal.run("s").orElseThrow().lastCycle();
        assertEquals(last - 1, indexed.size(), "failed with its last committed cycle not recorded");

        away.set(false);
        assertEquals(1, engine(index).recordLastCommittedCycles(Duration.ofSeconds(5)));
        assertEquals(LongStream.rangeClosed(1, last).mapToObj(c -> "s:" + c).toList(), indexed);
    }

    @Test
    void aForkStartsFromAPastCycleAndLeavesTheOriginalAlone() throws Exception {
        RunEngine e = engine();
        e.start(new RunRequest("orig", List.of("chain"), 6, Duration.ZERO, null, null));
        e.await("orig", LONG);
        RunInfo fork = e.fork("orig", 2, "alt", 3L);
        assertEquals("orig:2", fork.forkedFrom());
        assertEquals(RunState.COMPLETED, e.await("alt", LONG).state());
        assertEquals(List.of(3L, 4L, 5L), journaledCycles("alt"));
        assertEquals(expectedChain(5), states.latest("chain", "alt").orElseThrow().payload().asLong(),
                "the fork went on from cycle 2's state");
        assertEquals(LongStream.rangeClosed(1, 6).boxed().toList(), journaledCycles("orig"));
        assertEquals(expectedChain(6), states.latest("chain", "orig").orElseThrow().payload().asLong());
        assertThrows(IllegalArgumentException.class, () -> e.fork("orig", 9, null, null));
        assertThrows(IllegalArgumentException.class, () -> e.fork("ghost", 1, null, null));
    }

    @Test
    void anInterruptedRunCanBeStoppedOrResumedOnCommand() throws Exception {
        RunEngine first = engine();
        first.start(new RunRequest("a", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(2), null, null));
        first.start(new RunRequest("b", List.of("chain"), 20, Duration.ofMillis(2), null, null));
        awaitCycle(first, "a", 3);
        awaitCycle(first, "b", 3);
        first.close(Duration.ofSeconds(5));

        RunEngine second = engine();
        assertEquals(RunState.STOPPED, second.stop("a").state());
        assertThrows(IllegalArgumentException.class, () -> second.resume("a"));
        second.resume("b");
        assertEquals(RunState.COMPLETED, second.await("b", LONG).state());
        assertEquals(expectedChain(20), states.latest("chain", "b").orElseThrow().payload().asLong());
        assertTrue(second.resumeInterrupted().isEmpty(), "nothing left to resume");
    }
}
