package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.LongNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.testing.StateFixture;
import io.harmonix.store.testing.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults under a journaled run, with the real Derby journal and the real index: a stop while a cycle is in flight,
 * a full disk, a journal or an index that cannot start. Each must end with every committed cycle recorded, or with
 * the run failed and saying why.
 */
class RunFaultsTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final JournalGate gate = new JournalGate();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<RunEngine> engines = new ArrayList<>();
    private SmallDisk disk;

    @AfterEach
    void close() throws Exception {
        for (RunEngine e : engines) {
            e.close(Duration.ofSeconds(5));
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    private RunEngine engine(Agent agent, ServiceDiagnosis diagnosis) {
        RunEngine e = new RunEngine(new RunnerSettings(4, Duration.ofSeconds(10), 5, true), RunnerLog.console(), gate,
                diagnosis);
        e.addAgent(new AgentInfo("chain", "test", 1, "test"), agent, 1);
        engines.add(e);
        return e;
    }

    private StateFixture journal(Path folder) throws Exception {
        StateFixture db = StateFixture.open(folder, id -> id.equals("chain") ? DurableRunTest.CHAIN : null);
        open.add(db);
        gate.set(db.journal());
        return db;
    }

    /** A condition polled until it holds (a minute at most): progress of a run on another thread. */
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void until(Condition c) throws Exception {
        long end = System.nanoTime() + LONG.toNanos();
        while (!c.holds()) {
            assertTrue(System.nanoTime() < end, "not within a minute");
            Thread.sleep(5);
        }
    }

    private static List<Long> cycles(List<CycleSnapshot> snapshots) {
        return snapshots.stream().map(CycleSnapshot::cycle).toList();
    }

    private static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    // ---- item: a stop while a cycle is in flight ---------------------------------------------------------------

    @Test
    void aRunStoppedWhileACycleIsInFlightRecordsThatCycleBeforeItEnds() throws Exception {
        RunJournal journal = journal(dir.resolve("derby")).journal();
        IndexFixture index = IndexFixture.open(dir.resolve("index"), m -> { });
        open.add(index);
        CountDownLatch inCycle3 = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Agent slow = ctx -> {
            if (ctx.cycle() == 3) {
                inCycle3.countDown();
                release.await();
            }
            return DurableRunTest.CHAIN.step(ctx);
        };
        RunEngine e = engine(slow, ServiceDiagnosis.NONE);
        e.addRecorder(index.recorder());
        e.start(new RunRequest("s", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ZERO, null, null));
        assertTrue(inCycle3.await(60, TimeUnit.SECONDS));
        e.stop("s"); // while cycle 3 is in flight: it still commits, and must be recorded before the run ends
        release.countDown();
        RunInfo stopped = e.await("s", LONG);
        assertEquals(RunState.STOPPED, stopped.state());
        assertEquals(3, stopped.completedCycles());
        assertEquals(oneTo(3), cycles(journal.cycles("s", 0, 100)));
        List<Long> indexed = new ArrayList<>();
        index.index().replay("local", "s", 1, Long.MAX_VALUE, c -> indexed.add(c.snapshot().cycle()));
        assertEquals(oneTo(3), indexed, "the stopped run's last committed cycle is in the index");
    }

    // ---- item: a full disk --------------------------------------------------------------------------------------

    @Test
    void aFullDiskFailsTheRunWithTheReasonAndResumeLosesNothingOnceSpaceIsBack() throws Exception {
        Path fs = dir.resolve("fs");
        disk = SmallDisk.mount(fs, 24);
        RunJournal journal = journal(fs.resolve("derby")).journal();
        List<String> reports = new CopyOnWriteArrayList<>();
        IndexFixture index = IndexFixture.open(fs.resolve("index"), reports::add);
        open.add(index);
        // an agent whose state grows, so that every cycle writes to the disk
        Agent growing = ctx -> {
            long previous = ctx.firstCycle() ? 7 : ctx.previousState().path("n").asLong();
            var state = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            state.put("n", previous * 31 + ctx.cycle());
            state.put("pad", "x".repeat(2000));
            return AgentResult.of(state);
        };
        RunEngine e = engine(growing, ServiceDiagnosis.NONE);
        e.addRecorder(index.recorder());
        e.start(new RunRequest("full", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ZERO, null, null));
        until(() -> journal.run("full").orElseThrow().lastCycle() >= 3);
        Path filler = fs.resolve("filler");
        SmallDisk.fill(filler);

        RunInfo failed = e.await("full", LONG);
        assertEquals(RunState.FAILED, failed.state(), "the run does not stay running on a full disk");
        assertTrue(failed.message().contains("No space left on device"), failed.message());
        assertTrue(failed.message().startsWith("cycle " + (failed.completedCycles() + 1) + " could not be made "
                + "durable") || failed.message().startsWith("cycle " + failed.completedCycles() + " is committed"),
                failed.message());

        // when the journal failed, Derby shut its database down; the space that freed is taken again and the run is
        // looked at while the disk is still full (as cycle:show would), so that Derby may boot the database again
        // read-only (when it cannot write its lock file), which it stays until booted again. DerbyDatabaseTest in
        // the store shows that state every time; here it depends on which of journal and index fills up first
        Path filler2 = fs.resolve("filler2");
        SmallDisk.fill(filler2);
        assertTrue(journal.run("full").isPresent(), "the journal is read while the disk is full");

        Files.delete(filler);
        Files.delete(filler2);
        // nothing reopened, neither the journal's database nor the index: resume alone goes on (the store boots
        // its database again writable at its next use)
        e.resume("full");
        long target = failed.completedCycles() + 5;
        until(() -> {
            RunInfo r = e.run("full").orElseThrow();
            assertEquals(RunState.RUNNING, r.state(), r.toString());
            return r.completedCycles() >= target;
        });
        e.stop("full");
        RunInfo stopped = e.await("full", LONG);
        assertEquals(RunState.STOPPED, stopped.state());
        long last = stopped.completedCycles();

        RunJournal reopened = gate.current();
        assertEquals(oneTo(last), cycles(reopened.cycles("full", 0, Integer.MAX_VALUE)), "journal: nothing lost");
        List<Long> indexed = new ArrayList<>();
        List<CycleSnapshot> indexedSnapshots = new ArrayList<>();
        index.index().replay("local", "full", 1, Long.MAX_VALUE, (IndexedCycle c) -> {
            indexed.add(c.snapshot().cycle());
            indexedSnapshots.add(c.snapshot());
        });
        assertEquals(oneTo(last), indexed, "index: every cycle once, in order");
        assertEquals(reopened.cycles("full", 0, Integer.MAX_VALUE), indexedSnapshots, "the committed snapshots");
        assertTrue(index.index().verify("local").ok(), index.index().verify("local").toString());
    }

    // ---- item: a journal or an index that cannot start ---------------------------------------------------------

    private static final String JOURNAL_FAILED = "component io.harmonix.state.internal.StateComponent (bundle "
            + "io.harmonix.state) failed to start: java.io.IOException: DDL is not permitted for a read-only database";
    private static final String INDEX_FAILED = "component io.harmonix.index.internal.IndexComponent (bundle "
            + "io.harmonix.index) failed to start: java.nio.file.FileSystemException: data/index: Read-only file system";

    /** What DS would say of a journal and an index whose components failed (the runtime test checks DS's words). */
    private static String failedComponents(String service) {
        return service.equals(RunJournal.class.getName()) ? JOURNAL_FAILED
                : service.equals(CycleRecorder.class.getName()) ? INDEX_FAILED : null;
    }

    @Test
    void aJournalThatFailedToStartIsAnErrorNotNoRuns() throws Exception {
        IndexFixture index = IndexFixture.open(dir.resolve("index"), m -> { });
        open.add(index);
        RunEngine e = engine(DurableRunTest.CHAIN, RunFaultsTest::failedComponents); // the gate stays empty
        e.addRecorder(index.recorder());
        IllegalStateException runs = assertThrows(IllegalStateException.class, e::runs);
        assertTrue(runs.getMessage().contains(JOURNAL_FAILED), runs.getMessage());
        IllegalStateException start = assertThrows(IllegalStateException.class, () -> e.start(new RunRequest("j",
                List.of("chain"), 1, Duration.ZERO, null, null)));
        assertTrue(start.getMessage().contains(JOURNAL_FAILED), start.getMessage());
    }

    @Test
    void aJournalThatCannotBeReadIsAnErrorNotNoRuns() throws Exception {
        Path folder = dir.resolve("derby");
        StateFixture db = journal(folder);
        RunEngine e = engine(DurableRunTest.CHAIN, ServiceDiagnosis.NONE);
        // the database shut down under a journal still bound, and its folder replaced by a file: Derby cannot
        // boot it again, so every read fails
        db.close();
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(folder, "not a database");
        IllegalStateException runs = assertThrows(IllegalStateException.class, e::runs);
        assertTrue(runs.getMessage().startsWith("the run journal could not be read: "), runs.getMessage());
    }

    @Test
    void aRunIsRefusedWhenTheIndexFailedToStart() throws Exception {
        journal(dir.resolve("derby"));
        RunEngine e = engine(DurableRunTest.CHAIN, RunFaultsTest::failedComponents);
        IllegalStateException start = assertThrows(IllegalStateException.class, () -> e.start(new RunRequest("i",
                List.of("chain"), 1, Duration.ZERO, null, null)));
        assertTrue(start.getMessage().contains("no cycle recorder (the index) is present: " + INDEX_FAILED),
                start.getMessage());
    }

    @Test
    void aRunWhoseIndexFailsToStartUnderItFailsWithTheReasonAndResumesOnceItIsBack() throws Exception {
        RunJournal journal = journal(dir.resolve("derby")).journal();
        IndexFixture index = IndexFixture.open(dir.resolve("index"), m -> { });
        open.add(index);
        java.util.concurrent.atomic.AtomicReference<String> indexFailure = new java.util.concurrent.atomic
                .AtomicReference<>();
        RunEngine e = engine(DurableRunTest.CHAIN, s -> s.equals(CycleRecorder.class.getName()) ? indexFailure.get()
                : null);
        e.addRecorder(index.recorder());
        e.start(new RunRequest("g", List.of("chain"), 20, Duration.ZERO, null, null));
        until(() -> journal.run("g").orElseThrow().lastCycle() >= 2);
        // the index bundle restarts, and its component fails to start this time
        indexFailure.set(INDEX_FAILED);
        e.removeRecorder(index.recorder());
        RunInfo failed = e.await("g", LONG);
        assertEquals(RunState.FAILED, failed.state());
        assertTrue(failed.message().contains("no cycle recorder (the index) is present to record it: "
                + INDEX_FAILED), failed.message());

        indexFailure.set(null);
        e.addRecorder(index.recorder());
        e.resume("g");
        assertEquals(RunState.COMPLETED, e.await("g", LONG).state());
        List<Long> indexed = new ArrayList<>();
        index.index().replay("local", "g", 1, Long.MAX_VALUE, c -> indexed.add(c.snapshot().cycle()));
        assertEquals(oneTo(20), indexed);
        assertEquals(oneTo(20), cycles(journal.cycles("g", 0, 100)));
        assertEquals(LongNode.valueOf(expectedChain(20)), journal.statesAt("g", 20).get("chain").payload());
    }

    private static long expectedChain(long cycles) {
        long s = 7;
        for (long c = 1; c <= cycles; c++) {
            s = s * 31 + c;
        }
        return s;
    }
}
