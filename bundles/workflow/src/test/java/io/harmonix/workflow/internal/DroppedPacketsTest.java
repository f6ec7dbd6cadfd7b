package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.cluster.testing.StalledCluster;
import io.harmonix.store.postgresql.internal.PostgresDatabase;
import io.harmonix.store.postgresql.testing.StallingProxy;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines, each its own node, on one real PostgreSQL server; node X reaches it through a proxy that, in the
 * middle, drops every packet (connections stay open, nothing goes through, nobody is told: a {@link StallingProxy}).
 * X stops its instances within about a lease and a renew interval of its last renewal, although its renewal thread
 * is then hanging in a JDBC call (the socket timeout is set longer than that on purpose), and node Y takes them over
 * once their leases expire and finishes them with the same idempotency keys.
 */
class DroppedPacketsTest {
    private static final Duration LEASE = StalledCluster.LEASE;
    private static final Duration RENEW = StalledCluster.RENEW;
    private static final Duration CLAIMS = Duration.ofMillis(100);
    private static final int INSTANCES = 3;

    @TempDir
    Path dir;

    /** Each run of the task: its idempotency key, the node, when it began and (X's) when it was stopped. */
    private final List<String[]> runs = new CopyOnWriteArrayList<>();
    private final Map<String, Long> stoppedOnX = new ConcurrentHashMap<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @Test
    void aNodeWhoseNetworkDropsPacketsStopsItsInstancesWithinALeaseAndAnotherTakesThemOver() throws Exception {
        try (StalledCluster cluster = StalledCluster.start(dir)) {
            WorkflowEngine xe = engine(cluster.xDb(), cluster.x());
            WorkflowEngine ye = engine(cluster.yDb(), cluster.y());
            try {
                xe.deploy("held.yaml", "name: held\nversion: 1\ntasks:\n  a: {component: test, action: work}\n");
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    ids.add(xe.start("held", null, Map.of(), null).id()); // no limit: X holds each
                }
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (runs.size() < INSTANCES && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertEquals(INSTANCES, runs.size(), "the tasks began on X: " + runs);

                long stalledAt = System.nanoTime();
                cluster.stall();
                for (String id : ids) {
                    InstanceInfo done = ye.await(id, Duration.ofSeconds(30));
                    assertEquals(InstanceState.SUCCEEDED, done.state(), id + ": " + done.error() + "; " + warnings);
                    assertEquals("node-y", done.tasks().get(0).output().get("by"), "finished by Y");
                }
                // X stopped each of its tasks within a lease and a renew interval of the stall (its last renewal
                // began at most an interval before; the deadline is looked at every half interval), plus 3 s for
                // a loaded machine's scheduling: before the first renewal after the stall could fail (its socket
                // timeout is 8 s), so the deadline stopped them, not a failed renewal
                long bound = LEASE.plus(RENEW).plus(Duration.ofSeconds(3)).toNanos();
                assertEquals(INSTANCES, stoppedOnX.size(), "X's tasks stopped: " + stoppedOnX + "; " + warnings);
                for (Map.Entry<String, Long> stop : stoppedOnX.entrySet()) {
                    long after = stop.getValue() - stalledAt;
                    assertTrue(after < bound, stop.getKey() + " stopped on X " + after / 1e6 + " ms after the stall, "
                            + "over " + bound / 1e6 + " ms: " + warnings);
                }
                assertTrue(warnings.stream().anyMatch(w -> w.startsWith("node-x") && w.contains("not renewed for")),
                        warnings.toString());
                for (String id : ids) {
                    List<String> by = runs.stream().filter(r -> r[0].equals(id + "/a")).map(r -> r[1]).toList();
                    assertEquals(List.of("node-x", "node-y"), by, id + ": once on X, cut, then on Y by the same key");
                }
            } finally {
                cluster.restore(); // X's threads hanging on the stalled sockets end before the engines close
                xe.close();
                ye.close();
            }
        }
    }

    private WorkflowEngine engine(PostgresDatabase db, ClusterFixture node) throws Exception {
        String id = node.nodeId();
        WorkflowEngine e = WorkflowEngine.durable(db.dataSource(), StalledCluster.migrator(db), node, 0,
                CLAIMS, w -> {
                    warnings.add(id + ": " + w);
                    System.err.println(id + ": " + w);
                });
        e.addHandler("work", ctx -> {
            runs.add(new String[] {ctx.idempotencyKey(), id});
            if (id.equals("node-x")) {
                try {
                    Thread.sleep(Long.MAX_VALUE); // works until stopped
                } catch (InterruptedException stopped) {
                    stoppedOnX.put(ctx.instanceId(), System.nanoTime());
                    throw stopped;
                }
            }
            return Map.of("by", id);
        }, List.of("test"), List.of("work"));
        return e;
    }
}
