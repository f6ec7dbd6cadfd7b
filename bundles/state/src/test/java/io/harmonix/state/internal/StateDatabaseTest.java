package io.harmonix.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.harmonix.agent.files.FileStatsAgent;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.cycle.api.StateConflictException;
import io.harmonix.cycle.api.StateMigrationException;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.store.testing.DerbyFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state store and run journal on a real embedded Derby database. */
class StateDatabaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    java.nio.file.Path dir;

    private DerbyFixture db;
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private StateDatabase states;

    @BeforeEach
    void open() throws Exception {
        db = DerbyFixture.open(dir);
        db.migrator().migrate(StateDatabase.COMPONENT, StateDatabase.MIGRATIONS);
        states = new StateDatabase(db.dataSource(), agents::get);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static CycleSnapshot snapshot(String run, long cycle) {
        Instant now = Instant.now();
        return new CycleSnapshot(1, run, cycle, CycleSnapshot.cycleIdOf(run, cycle), now, now, CycleStatus.OK,
                List.of(), Map.of());
    }

    @Test
    void savesLoadsAndPagesStates() throws Exception {
        for (int c = 1; c <= 5; c++) {
            states.saveState("a", "r", c, IntNode.valueOf(c * 10));
        }
        assertEquals(30, states.loadState("a", "r", 3).orElseThrow().payload().asInt());
        assertEquals(5, states.latest("a", "r").orElseThrow().cycle());
        assertEquals(List.of(4L, 3L), states.history("a", "r", 1, 2).stream().map(StoredState::cycle).toList());
        assertTrue(states.loadState("a", "r", 9).isEmpty());
        assertEquals(5, states.deleteRun("r"));
        assertTrue(states.latest("a", "r").isEmpty());
    }

    @Test
    void twoWritersOfTheSameCycleCannotBothWin() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int value = i;
            results.add(pool.submit(() -> {
                go.await();
                try {
                    states.saveState("a", "race", 1, IntNode.valueOf(value));
                    return true;
                } catch (StateConflictException e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
            winners += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, winners, "exactly one writer wins");
        JsonNode kept = states.loadState("a", "race", 1).orElseThrow().payload();
        states.saveState("a", "race", 1, kept); // writing the winner's state again is idempotent
    }

    @Test
    void checkpointsCommitWholeCyclesInOrder() throws Exception {
        states.createRun("r", json("{\"cycles\":3}"), 1, null);
        states.checkpoint(snapshot("r", 1), List.of(new AgentCheckpoint("a", 1, IntNode.valueOf(1)),
                new AgentCheckpoint("b", 1, IntNode.valueOf(100))));
        CycleSnapshot second = snapshot("r", 2);
        states.checkpoint(second, List.of(new AgentCheckpoint("a", 1, IntNode.valueOf(2))));
        states.checkpoint(second, List.of(new AgentCheckpoint("a", 1, IntNode.valueOf(2)))); // a retry: the very one
        assertEquals(2, states.run("r").orElseThrow().lastCycle());

        StateConflictException gap = assertThrows(StateConflictException.class,
                () -> states.checkpoint(snapshot("r", 4), List.of(new AgentCheckpoint("a", 1, IntNode.valueOf(4)))));
        assertEquals("run r has committed cycle 2; cycle 4 cannot follow it", gap.getMessage());
        assertTrue(states.loadState("a", "r", 4).isEmpty(), "nothing of a refused checkpoint is kept");

        // a checkpoint that fails half way (a conflicting state) leaves no trace either
        states.saveState("b", "r", 3, IntNode.valueOf(-1));
        assertThrows(StateConflictException.class, () -> states.checkpoint(snapshot("r", 3),
                List.of(new AgentCheckpoint("a", 1, IntNode.valueOf(3)), new AgentCheckpoint("b", 1, IntNode.valueOf(3)))));
        assertTrue(states.loadState("a", "r", 3).isEmpty());
        assertEquals(2, states.run("r").orElseThrow().lastCycle());
        assertEquals(List.of(1L, 2L), states.cycles("r", 0, 10).stream().map(CycleSnapshot::cycle).toList());

        // b produced nothing in cycle 2: its state after cycle 2 is the one of cycle 1
        Map<String, StoredState> at2 = states.statesAt("r", 2);
        assertEquals(2, at2.get("a").payload().asInt());
        assertEquals(100, at2.get("b").payload().asInt());
        assertEquals(1, states.statesAt("r", 1).get("a").payload().asInt());
    }

    @Test
    void runsAreJournaledWithTheirState() throws Exception {
        states.createRun("r1", json("{\"cycles\":5}"), 1, null);
        states.createRun("fork", json("{\"cycles\":5}"), 4, "r1:3");
        assertThrows(StateConflictException.class, () -> states.createRun("r1", json("{}"), 1, null));
        states.setState("r1", "completed", "done");
        assertEquals(List.of("r1", "fork"), states.runs().stream().map(r -> r.runId()).toList());
        assertTrue(states.run("r1").orElseThrow().finished());
        assertEquals(3, states.run("fork").orElseThrow().lastCycle());
        assertEquals("r1:3", states.run("fork").orElseThrow().forkedFrom());
    }

    @Test
    void aVersion1StateOfTheSampleAgentIsMigratedToVersion2OnLoad() throws Exception {
        // written by the sample agent before its upgrade (no agent present: stored as version 1)
        JsonNode v1 = json("{\"stateVersion\":1,\"directory\":\"/x\",\"files\":3,\"lines\":10,\"todos\":1}");
        states.saveState("files", "old-run", 7, v1);
        assertEquals(1, states.latest("files", "old-run").orElseThrow().stateVersion());

        agents.put("files", new FileStatsAgent()); // the upgraded agent is deployed
        StoredState loaded = states.latest("files", "old-run").orElseThrow();
        assertEquals(2, loaded.stateVersion());
        assertEquals(0, loaded.payload().get("cycles").asInt());
        assertEquals(3, loaded.payload().get("files").asInt());
        assertEquals(2, states.statesAt("old-run", 7).get("files").stateVersion());
        // the stored row is unchanged until state:migrate rewrites it
        assertEquals(1, states.allRaw().get(0).stateVersion());
        states.rewrite(List.of(loaded));
        assertEquals(2, states.allRaw().get(0).stateVersion());
    }

    @Test
    void aStateWithNoMigrationPathIsRefusedNotDropped() throws Exception {
        states.saveState("picky", "r", 1, IntNode.valueOf(1));
        agents.put("picky", new Agent() {
            @Override
            public AgentResult step(io.harmonix.cycle.api.AgentContext context) {
                return AgentResult.of(null);
            }

            @Override
            public int stateVersion() {
                return 3;
            }

            @Override
            public JsonNode migrateState(int fromVersion, JsonNode state) throws StateMigrationException {
                if (fromVersion == 1) {
                    return state;
                }
                throw new StateMigrationException("version 2 states were never released");
            }
        });
        StateMigrationException e = assertThrows(StateMigrationException.class, () -> states.latest("picky", "r"));
        assertEquals("state of agent 'picky' (run r cycle 1) cannot be migrated from version 2 to 3: version 2 "
                + "states were never released", e.getMessage());
        assertThrows(StateMigrationException.class, () -> states.statesAt("r", 1));
        assertEquals(1, states.allRaw().size(), "the state is still there");
    }
}
