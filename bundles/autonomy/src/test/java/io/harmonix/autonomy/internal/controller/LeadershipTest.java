package io.harmonix.autonomy.internal.controller;

import io.harmonix.cluster.api.LeaderLease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runtimes, each its own node over one real Derby database: one leads the controller (holds the lease
 * {@value Leadership#KEY}), the other stands by; when the leader goes away abruptly, the other leads within a lease
 * and a renew interval, and never both at once.
 */
class LeadershipTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration RENEW = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private DerbyFixture db;
    private final List<ClusterFixture> nodes = new ArrayList<>();
    private final List<LeaderLease> runtimes = new ArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = DerbyFixture.open(dir);
    }

    @AfterEach
    void close() {
        runtimes.forEach(LeaderLease::close);
        nodes.forEach(ClusterFixture::close);
        db.close();
    }

    private LeaderLease runtime(String node) throws Exception {
        ClusterFixture member = ClusterFixture.join(db.dataSource(), db.migrator(), node, LEASE, RENEW);
        nodes.add(member);
        LeaderLease l = Leadership.of(member.leases(), node, notes::add).start();
        runtimes.add(l);
        return l;
    }

    @Test
    void oneRuntimeLeadsTheOtherStandsByAndTakesOverWithinALeaseWhenTheLeaderDies() throws Exception {
        LeaderLease a = runtime("node-a");
        LeaderLease b = runtime("node-b");
        assertTrue(a.leads(), "the first to claim leads");
        assertFalse(b.leads());
        assertEquals("node-a", b.leader());
        Thread.sleep(LEASE.toMillis() + RENEW.toMillis()); // renewed all along: the standby never takes it
        assertTrue(a.leads());
        assertFalse(b.leads());

        // node-a dies: no renewal, no heartbeat; its lease stays and expires
        long died = System.nanoTime();
        a.close();
        nodes.get(0).close();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!b.leads()) {
            assertTrue(System.nanoTime() < end, "node-b took the lead");
            Thread.sleep(10);
        }
        long took = (System.nanoTime() - died) / 1_000_000;
        assertTrue(took >= LEASE.toMillis() - 1_000, "not before the lease ran out (whole seconds): " + took + " ms");
        assertTrue(took < LEASE.toMillis() + 2 * RENEW.toMillis() + 2_000, "within a lease and a renewal: " + took
                + " ms");
        assertEquals("node-b", b.leader());
        assertTrue(notes.contains("node node-b leads the controller (lease autonomy:controller)"), notes.toString());
    }

    @Test
    void aRuntimeRestartedUnderItsNodeIdLeadsAgainAtOnce() throws Exception {
        LeaderLease a = runtime("node-a");
        assertTrue(a.leads());
        a.close();
        LeaderLease again = Leadership.of(nodes.get(0).leases(), "node-a", notes::add).start();
        runtimes.add(again);
        assertTrue(again.leads(), "its own lease, unexpired: taken back by its first claim");
    }
}
