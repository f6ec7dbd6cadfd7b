package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history write that fails while the database is briefly out of reach (a network cut between a runtime and
 * PostgreSQL, as ClusterIT makes one) stops the instance in that engine instead of letting it go on as if the entry
 * were durable: otherwise its next entries, written once the database is back, would follow a hole (a task that
 * ended, unrecorded, then its dependents' entries), and the instance would end with a history no replay follows.
 * Its lease, no longer renewed, expires, and the instance is resumed from its history: the task whose end was lost
 * runs again with its idempotency key, and the history holds every task's end once.
 */
class UnrecordedHistoryTest {
    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private DerbyFixture db;
    private ClusterFixture node;
    private WorkflowEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (node != null) {
            node.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void anInstanceWhoseHistoryWriteFailedStopsAndResumesFromItsHistory() throws Exception {
        db = DerbyFixture.open(dir);
        AtomicBoolean cut = new AtomicBoolean();
        // the leases go through the plain data source: only the engine's own writes meet the cut, so that the
        // instance's lease stays renewable and only the failed write can stop it
        node = ClusterFixture.join(db.dataSource(), db.migrator(), "node-a", LEASE, Duration.ofMillis(300));
        List<String> warnings = new CopyOnWriteArrayList<>();
        engine = WorkflowEngine.durable(cuttable(db.dataSource(), cut), db.migrator(), node.leases(), 0,
                Duration.ofMillis(100), warnings::add);
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        engine.addHandler("held", ctx -> {
            runs.add(ctx.idempotencyKey());
            bStarted.countDown();
            gate.await();
            return Map.of("n", 2);
        }, List.of("test"), List.of("held"));
        engine.addHandler("work", ctx -> {
            runs.add(ctx.idempotencyKey());
            return Map.of("n", 1);
        }, List.of("test"), List.of("work"));
        engine.deploy("cut.yaml", """
                name: cut
                version: 1
                tasks:
                  a: {component: test, action: work}
                  b: {component: test, action: held, depends_on: [a]}
                  c: {component: test, action: work, depends_on: [b]}
                """);
        String id = engine.start("cut", null, Map.of(), null).id();
        assertTrue(bStarted.await(10, TimeUnit.SECONDS));

        cut.set(true);
        gate.countDown(); // b ends while its end entry cannot be written
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (warnings.stream().noneMatch(w -> w.contains("entries not recorded")) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        cut.set(false); // back before the lease runs out: only the failed write tells the engine anything

        InstanceInfo done = engine.await(id, Duration.ofSeconds(30));
        assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()) + " " + warnings);
        List<HistoryEvent> history = engine.history(id);
        for (String task : List.of("a", "b", "c")) {
            assertEquals(1, history.stream().filter(h -> task.equals(h.task()) && h.kind().equals("task.succeeded"))
                    .count(), "one end of " + task + " in " + history);
        }
        assertEquals(List.of(), engine.replay(id), "the history replays to the state kept");
        assertEquals(List.of(id + "/a", id + "/b", id + "/b", id + "/c"), runs,
                "b ran again with its key after its end was lost; c ran once, after b's end was recorded");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("instances stop here")), warnings.toString());
    }

    /** {@code real}, whose connections fail every call while {@code cut} is set (as a reset TCP connection does). */
    private static DataSource cuttable(DataSource real, AtomicBoolean cut) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        if (cut.get()) {
                            throw new SQLException("The connection attempt failed.", "08001");
                        }
                        Connection c = (Connection) invoke(method, real, args);
                        return Proxy.newProxyInstance(Connection.class.getClassLoader(),
                                new Class<?>[] {Connection.class}, (p, m, a) -> {
                                    if (m.getName().equals("close")) {
                                        // a cut connection's open transaction goes with it, as on a real server
                                        try {
                                            if (!c.getAutoCommit()) {
                                                c.rollback();
                                            }
                                        } catch (SQLException ignored) {
                                            // closed already
                                        }
                                        return invoke(m, c, a);
                                    }
                                    if (cut.get()) {
                                        throw new SQLException("This connection has been closed.", "08003");
                                    }
                                    return invoke(m, c, a);
                                });
                    }
                    return invoke(method, real, args);
                });
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
