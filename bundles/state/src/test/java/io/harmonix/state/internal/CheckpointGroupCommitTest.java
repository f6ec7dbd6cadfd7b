package io.harmonix.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.cycle.api.StateConflictException;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.store.testing.DerbyFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of concurrent runs share Derby transactions (group commit): each run's cycles still commit whole and
 * in order, a checkpoint refused in a shared transaction fails alone, and a closed journal refuses checkpoints.
 */
class CheckpointGroupCommitTest {
    private static final int RUNS = 8;
    private static final int CYCLES = 60;

    @TempDir
    Path dir;

    private DerbyFixture db;
    private StateDatabase states;

    @BeforeEach
    void open() throws Exception {
        db = DerbyFixture.open(dir);
        db.migrator().migrate(StateDatabase.COMPONENT, StateDatabase.MIGRATIONS);
        states = new StateDatabase(db.dataSource(), id -> null);
    }

    @AfterEach
    void close() {
        states.close();
        db.close();
    }

    private static CycleSnapshot snapshot(String run, long cycle) {
        Instant now = Instant.now();
        return new CycleSnapshot(1, run, cycle, CycleSnapshot.cycleIdOf(run, cycle), now, now, CycleStatus.OK,
                List.of(), Map.of());
    }

    private static List<AgentCheckpoint> state(long value) {
        return List.of(new AgentCheckpoint("a", 1, LongNode.valueOf(value)));
    }

    @Test
    void concurrentRunsCommitEveryCycleWholeAndInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RUNS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                String run = "r" + r;
                states.createRun(run, JsonNodeFactory.instance.objectNode(), 1, null);
                runs.add(pool.submit(() -> {
                    go.await();
                    for (long c = 1; c <= CYCLES; c++) {
                        states.checkpoint(snapshot(run, c), state(c * 100));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int r = 0; r < RUNS; r++) {
            String run = "r" + r;
            assertEquals(CYCLES, states.run(run).orElseThrow().lastCycle());
            assertEquals(LongStream.rangeClosed(1, CYCLES).boxed().toList(),
                    states.cycles(run, 0, 1000).stream().map(CycleSnapshot::cycle).toList());
            assertEquals(CYCLES * 100, states.latest("a", run).orElseThrow().payload().asLong());
            assertEquals(700, states.statesAt(run, 7).get("a").payload().asLong());
        }
    }

    @Test
    void aCheckpointRefusedInASharedTransactionFailsAloneAndLeavesNothingBehind() throws Exception {
        int writers = 6;
        for (int r = 0; r < writers; r++) {
            states.createRun("w" + r, JsonNodeFactory.instance.objectNode(), 1, null);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> all = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int r = 0; r < writers; r++) {
                String run = "w" + r;
                // w0 skips cycle 2: its cycle 3 is a gap, refused wherever its transaction is shared
                long[] cycles = r == 0 ? new long[] {1, 3} : new long[] {1, 2, 3};
                all.add(pool.submit(() -> {
                    go.await();
                    for (long c : cycles) {
                        states.checkpoint(snapshot(run, c), state(c));
                    }
                    return null;
                }));
            }
            go.countDown();
            ExecutionException gap = assertThrows(ExecutionException.class, () -> all.get(0).get());
            assertInstanceOf(StateConflictException.class, gap.getCause());
            assertEquals("run w0 has committed cycle 1; cycle 3 cannot follow it", gap.getCause().getMessage());
            for (int r = 1; r < writers; r++) {
                all.get(r).get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, states.run("w0").orElseThrow().lastCycle());
        assertEquals(List.of(1L), states.cycles("w0", 0, 10).stream().map(CycleSnapshot::cycle).toList());
        assertTrue(states.loadState("a", "w0", 3).isEmpty(), "the refused cycle's state was rolled back");
        for (int r = 1; r < writers; r++) {
            assertEquals(3, states.run("w" + r).orElseThrow().lastCycle());
        }
        // the same cycle again is accepted as a retry after a lost answer (the very snapshot committed); the next
        // one still follows
        states.checkpoint(states.cycles("w0", 0, 1).get(0), state(1));
        states.checkpoint(snapshot("w0", 2), state(2));
        assertEquals(2, states.run("w0").orElseThrow().lastCycle());
    }

    /**
     * The fence of runs shared by lease: a cycle of the number committed already, but another snapshot (another
     * runtime drove the run after its lease ran out), is refused, and its states are not kept.
     */
    @Test
    void anotherWritersCycleOfTheSameNumberIsRefused() throws Exception {
        states.createRun("f", JsonNodeFactory.instance.objectNode(), 1, null);
        CycleSnapshot first = snapshot("f", 1);
        states.checkpoint(first, state(1));
        CycleSnapshot other = new CycleSnapshot(1, "f", 1, CycleSnapshot.cycleIdOf("f", 1),
                first.startedAt().plusMillis(5), first.endedAt().plusMillis(5), CycleStatus.OK, List.of(), Map.of());
        StateConflictException refused = assertThrows(StateConflictException.class,
                () -> states.checkpoint(other, state(99)));
        assertEquals("run f has cycle 1 committed by another writer already", refused.getMessage());
        assertEquals(1, states.loadState("a", "f", 1).orElseThrow().payload().asLong(), "the first writer's state");
        states.checkpoint(first, state(1)); // the first writer's retry is still one
    }

    @Test
    void aClosedJournalRefusesCheckpointsSayingWhy() throws Exception {
        states.createRun("c", JsonNodeFactory.instance.objectNode(), 1, null);
        states.checkpoint(snapshot("c", 1), state(1));
        states.close();
        IOException refused = assertThrows(IOException.class, () -> states.checkpoint(snapshot("c", 2), state(2)));
        assertEquals("could not checkpoint run c cycle 2: the state store is closing: its database is going away",
                refused.getMessage());
        assertEquals(1, states.run("c").orElseThrow().lastCycle());
    }
}
