package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The journal of a runner whose runs live in memory only: the recorders are a cycle's only record. */
class InMemoryJournalTest {
    private final InMemoryJournal journal = new InMemoryJournal();
    private final CycleRecorders recorders = new CycleRecorders(RunnerLog.console(), () -> false, ServiceDiagnosis.NONE);
    private final Run run = new Run("r", RunRequest.of(3), Duration.ofSeconds(1), 10, 0, false, null, Instant.now());

    private static ExecutedCycle cycleOne() {
        Instant now = Instant.now();
        CycleSnapshot snapshot = new CycleSnapshot(CycleSnapshot.SCHEMA_VERSION, "r", 1, "r:1", now, now,
                CycleStatus.OK, List.of(), Map.of());
        AgentHandle agent = new AgentHandle(new AgentInfo("a", "test", 1, "test"),
                ctx -> AgentResult.of(IntNode.valueOf(1)), 1);
        return new ExecutedCycle(snapshot, Map.<String, JsonNode>of("a", IntNode.valueOf(1)), Map.of("a", agent), 0);
    }

    @Test
    void aCycleCountsOnlyAfterEveryRecorderTookIt() throws Exception {
        List<Long> countedWhenRecorded = new CopyOnWriteArrayList<>();
        recorders.add(s -> countedWhenRecorded.add(run.completedCycles()));
        recorders.add(s -> countedWhenRecorded.add(run.completedCycles()));

        assertTrue(journal.commit(run, cycleOne(), recorders));
        assertEquals(List.of(0L, 0L), countedWhenRecorded);
        assertEquals(1, run.completedCycles());
        assertEquals(IntNode.valueOf(1), run.states.get("a"));
        assertEquals(List.of("r:1"), run.cyclesAfter(0).stream().map(CycleSnapshot::cycleId).toList());
    }

    @Test
    void aRecorderFailureIsTheCommitsFailureAndTheCycleDoesNotCount() {
        recorders.add(s -> {
            throw new IOException("index full");
        });
        assertEquals("cycle 1 could not be recorded: index full",
                assertThrows(IOException.class, () -> journal.commit(run, cycleOne(), recorders)).getMessage());
        assertEquals(0, run.completedCycles());
        assertTrue(run.states.isEmpty());
    }

    @Test
    void withoutRecordersACycleCountsAtOnce() throws Exception {
        assertTrue(journal.commit(run, cycleOne(), recorders));
        assertEquals(1, run.completedCycles());
    }

    @Test
    void nothingIsJournaledSoThereIsNothingToReadOrWaitFor() throws Exception {
        journal.createRun("r", RunRequest.of(3), Duration.ofSeconds(1), 1, null);
        journal.setState("r", "paused", null);
        assertNull(journal.current());
        assertNull(journal.await(() -> false), "answers at once: no journal ever comes");
        assertEquals("runs are not journaled here: nothing to fork from",
                assertThrows(IllegalStateException.class, () -> journal.within(Duration.ofSeconds(10))).getMessage());
    }

    @Test
    void anInMemoryRunnerRefusesToForkAndHasNothingToResume() throws Exception {
        RunEngine engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(5), 10, true), RunnerLog.console());
        try {
            engine.addAgent(new AgentInfo("a", "test", 1, "test"), ctx -> AgentResult.of(IntNode.valueOf(1)), 1);
            engine.start(new RunRequest("done", List.of(), 2, Duration.ZERO, null, null));
            engine.await("done", Duration.ofSeconds(30));
            assertEquals("runs are not journaled here: nothing to fork from",
                    assertThrows(IllegalStateException.class, () -> engine.fork("done", 1, null, null)).getMessage());
            assertEquals(List.of(), engine.resumeInterrupted(Duration.ofSeconds(5)));
            assertEquals(0, engine.recordLastCommittedCycles(Duration.ofSeconds(5)));
        } finally {
            engine.close(Duration.ofSeconds(5));
        }
    }
}
