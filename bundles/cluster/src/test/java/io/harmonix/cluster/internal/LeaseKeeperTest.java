package io.harmonix.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.api.LeaseKeeper;
import io.harmonix.store.testing.DerbyFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper of one kind of work held by lease, over the lease table of a real Derby database: what it holds stays
 * this node's as long as it renews, what another node holds is lost at the next renewal, and past a whole lease
 * without a renewal that succeeded the work stops here, unless no other node is alive.
 */
class LeaseKeeperTest {
    /** Two seconds, as the lease table's own tests: a renewal every 300 ms lands within it beside a build. */
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration RENEW = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private DerbyFixture db;
    /** Cut: every connection of node A's lease table fails, as when its database is away. */
    private final AtomicBoolean cut = new AtomicBoolean();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir, ClusterTables.COMPONENT, ClusterTables.MIGRATIONS);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private LeaseKeeper keeper(LeaseKeeper.Alone alone) {
        DataSource real = db.dataSource();
        DataSource cuttable = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (cut.get() && method.getName().equals("getConnection")) {
                        throw new SQLException("database away");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new LeaseKeeper(new LeaseTable(cuttable, "node-a", LEASE, RENEW), "job:", "job", "job", alone,
                warnings::add);
    }

    private LeaseTable nodeB() {
        return new LeaseTable(db.dataSource(), "node-b", LEASE, RENEW);
    }

    @Test
    void whatItClaimsStaysItsOwnForAsLongAsItRenews() throws Exception {
        try (LeaseKeeper a = keeper(LeaseKeeper.Alone.NEVER)) {
            assertTrue(a.claim("1"));
            a.start(lost::add, null, null);
            Thread.sleep(LEASE.toMillis() * 3 / 2);
            assertFalse(nodeB().claim("job:1"), "renewed past its first lease: still node A's");
            assertTrue(a.holds("1"));
            assertEquals(List.of(), lost);
            a.release("1");
            assertTrue(nodeB().claim("job:1"), "released: free at once");
            assertEquals(Set.of(), a.held());
        }
    }

    @Test
    void workAnotherNodeHoldsIsLostAtTheNextRenewalAndTold() throws Exception {
        assertTrue(nodeB().claim("job:2"));
        try (LeaseKeeper a = keeper(LeaseKeeper.Alone.NEVER)) {
            a.hold("2"); // as an engine does with a lease it took in its own transaction, here one it did not get
            a.start(lost::add, null, null);
            awaitLost("2");
            assertFalse(a.holds("2"));
            assertEquals(List.of("job 2: another runtime holds its lease now (found at a renewal): it goes on there, "
                    + "and stops here"), warnings);
        }
    }

    @Test
    void pastALeaseWithoutARenewalTheWorkStopsAndTheFailureIsToldOnce() throws Exception {
        try (LeaseKeeper a = keeper(LeaseKeeper.Alone.NEVER)) {
            assertTrue(a.claim("3"));
            a.start(lost::add, null, null);
            long cutAt = System.nanoTime();
            cut.set(true);
            awaitLost("3");
            long after = System.nanoTime() - cutAt;
            assertTrue(after >= LEASE.toNanos() - RENEW.toNanos(),
                    "not before a lease from the last renewal: " + after);
            assertEquals(List.of("job leases not renewed: database away",
                    "job 3: another runtime holds its lease now (not renewed for PT2S): it goes on there, and stops "
                            + "here"), warnings, "each failed renewal the same problem: told once");
        }
    }

    @Test
    void anEngineFailingToStopOneLostWorkStillHasTheNextStoppedAndTheFailureTold() throws Exception {
        try (LeaseKeeper a = keeper(LeaseKeeper.Alone.NEVER)) {
            assertTrue(a.claim("5"));
            assertTrue(a.claim("6"));
            a.start(id -> {
                lost.add(id);
                if (id.equals("5")) {
                    throw new IllegalStateException("its thread did not answer");
                }
            }, null, null);
            cut.set(true);
            awaitAmongLost("5");
            awaitAmongLost("6");
            assertTrue(warnings.contains("job 5: could not be stopped here after its lease was lost: "
                    + "java.lang.IllegalStateException: its thread did not answer"), warnings.toString());
            cut.set(false);
            assertTrue(a.claim("7"));
            cut.set(true);
            awaitAmongLost("7"); // the deadline check still runs after the failure: a later loss is stopped too
        }
    }

    @Test
    void aClusterOfOneKeepsItsWorkThroughAnOutageLongerThanALease() throws Exception {
        try (LeaseKeeper a = keeper(() -> true)) {
            assertTrue(a.claim("4"));
            a.start(lost::add, null, null);
            Thread.sleep(RENEW.toMillis() * 2); // a renewal succeeded: alone
            cut.set(true);
            Thread.sleep(LEASE.toMillis() * 2);
            assertEquals(List.of(), lost, "nobody else alive could have taken it");
            assertTrue(a.holds("4"));
            cut.set(false);
            Thread.sleep(RENEW.toMillis() * 2);
            assertFalse(nodeB().claim("job:4"), "renewed again once the database is back");
        }
    }

    @Test
    void aWakeRunsTheClaimOnItsOwnThreadAndNothingWithoutAClaim() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (LeaseKeeper a = keeper(LeaseKeeper.Alone.NEVER);
                LeaseKeeper renewOnly = keeper(LeaseKeeper.Alone.NEVER)) {
            a.start(lost::add, () -> threads.add(Thread.currentThread().getName()), null);
            renewOnly.start(lost::add, null, null);
            renewOnly.wake();
            a.wake();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (threads.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(List.of("harmonix-job-claims"), threads);
        }
    }

    private void awaitAmongLost(String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!lost.contains(id) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(lost.contains(id), id + " stopped: " + lost);
    }

    private void awaitLost(String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!lost.contains(id) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(List.of(id), lost);
    }
}
