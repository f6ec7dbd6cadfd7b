package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.cluster.testing.StalledCluster;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.state.testing.StateFixture;
import io.harmonix.store.postgresql.internal.PostgresDatabase;
import io.harmonix.store.postgresql.testing.StallingProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners, each its own node, on one real PostgreSQL server; runner X reaches it (its leases and its journal)
 * through a proxy that, in the middle of X's run, drops every packet (connections stay open, nothing goes through,
 * nobody is told: a {@link StallingProxy}). X stops the run within about a lease and a renew interval of its last
 * renewal, although its renewal thread then hangs in a JDBC call (the socket timeout is longer than that on
 * purpose), and runner Y takes the run over once its lease expires and ends it, every cycle committed once.
 */
class DroppedPacketsTest {
    private static final Duration LEASE = StalledCluster.LEASE;
    private static final Duration RENEW = StalledCluster.RENEW;
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final int CYCLES = 120;

    @TempDir
    Path dir;

    /** Each runner's warnings, with when they came ({@link System#nanoTime}). */
    private final Map<String, List<Map.Entry<Long, String>>> warnings = new ConcurrentHashMap<>();

    @Test
    void aRunnerWhoseNetworkDropsPacketsStopsItsRunWithinALeaseAndAnotherTakesItOverWithEveryCycleOnce()
            throws Exception {
        try (StalledCluster cluster = StalledCluster.start(dir)) {
            ClusterFixture x = cluster.x();
            ClusterFixture y = cluster.y();
            PostgresDatabase xDb = cluster.xDb();
            PostgresDatabase yDb = cluster.yDb();
            StateFixture xState = state(xDb);
            StateFixture yState = state(yDb);
            RunEngine xr = runner(x, xState);
            RunEngine yr = runner(y, yState);
            boolean xClosed = false;
            try {
                xr.start(new RunRequest("r", List.of("chain"), CYCLES, Duration.ofMillis(30), null, null));
                long end = System.nanoTime() + LONG.toNanos();
                while (xr.run("r").orElseThrow().completedCycles() < 5) {
                    assertTrue(System.nanoTime() < end, "r went on X");
                    Thread.sleep(5);
                }

                long stalledAt = System.nanoTime();
                cluster.stall();
                end = System.nanoTime() + LONG.toNanos();
                while (!yr.run("r").orElseThrow().state().finished()) {
                    assertTrue(System.nanoTime() < end, "r finished on Y: " + warnings);
                    Thread.sleep(20);
                }
                assertEquals(RunState.COMPLETED, yr.run("r").orElseThrow().state(), warnings.toString());

                // X stopped r within a lease and a renew interval of the stall (its last renewal began at most an
                // interval before; the deadline is looked at every half interval), plus 3 s for a loaded
                // machine's scheduling: before the first renewal after the stall could fail (its socket timeout
                // is 8 s), so the deadline stopped it, not a failed renewal
                List<Map.Entry<Long, String>> stops = warnings.getOrDefault("node-x", List.of()).stream()
                        .filter(w -> w.getValue().startsWith("run r: another runtime holds its lease now (not "
                                + "renewed for PT2S)"))
                        .toList();
                assertEquals(1, stops.size(), "X stopped r once, at its deadline: " + warnings);
                long after = stops.get(0).getKey() - stalledAt;
                long bound = LEASE.plus(RENEW).plus(Duration.ofSeconds(3)).toNanos();
                assertTrue(after < bound, "r stopped on X " + after / 1e6 + " ms after the stall, over " + bound / 1e6
                        + " ms: " + warnings);

                List<Long> journaled = yState.journal().cycles("r", 0, Integer.MAX_VALUE).stream()
                        .map(CycleSnapshot::cycle).toList();
                assertEquals(LongStream.rangeClosed(1, CYCLES).boxed().toList(), journaled,
                        "every cycle committed once, by X then by Y");
                assertEquals(DurableRunTest.expectedChain(CYCLES), yState.states().latest("chain", "r")
                        .orElseThrow().payload().asLong(), "each cycle went on from the one before");

                // the network back: what X's thread was sending when it hung gets through or is refused, and X
                // writes nothing of r (it lost it): the journal keeps what Y wrote
                cluster.restore();
                xr.close(Duration.ofSeconds(10));
                xClosed = true;
                assertEquals("completed", yState.journal().run("r").orElseThrow().state());
                assertEquals(journaled, yState.journal().cycles("r", 0, Integer.MAX_VALUE).stream()
                        .map(CycleSnapshot::cycle).toList());
            } finally {
                cluster.restore(); // X's threads hanging on the stalled sockets end before the runners close
                if (!xClosed) {
                    xr.close(Duration.ofSeconds(10));
                }
                yr.close(Duration.ofSeconds(5));
                xState.close();
                yState.close();
            }
        }
    }

    private static StateFixture state(PostgresDatabase db) throws Exception {
        return StateFixture.over(db.dataSource(), StalledCluster.migrator(db),
                id -> id.equals("chain") ? DurableRunTest.CHAIN : null);
    }

    private RunEngine runner(ClusterFixture node, StateFixture state) {
        String id = node.nodeId();
        List<Map.Entry<Long, String>> told = warnings.computeIfAbsent(id, n -> new CopyOnWriteArrayList<>());
        RunnerLog console = RunnerLog.console();
        RunnerLog log = new RunnerLog() {
            @Override
            public void info(String message) {
                console.info(id + ": " + message);
            }

            @Override
            public void warn(String message, Throwable cause) {
                told.add(Map.entry(System.nanoTime(), message));
                console.warn(id + ": " + message, cause);
            }

            @Override
            public void error(String message, Throwable cause) {
                console.error(id + ": " + message, cause);
            }
        };
        JournalGate gate = new JournalGate();
        gate.set(state.journal());
        RunEngine e = new RunEngine(new RunnerSettings(4, Duration.ofSeconds(10), 5, true), log, gate);
        e.addAgent(new AgentInfo("chain", "test", 1, "test"), DurableRunTest.CHAIN, 1);
        e.addRecorder(s -> { });
        e.shareRuns(node, false);
        return e;
    }
}
