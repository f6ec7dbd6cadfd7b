package io.harmonix.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases of three nodes over one real Derby database: one owner per key, expiry, takeover, renewal, fences. */
class LeaseTableTest {
    /**
     * Two seconds: a renewal every few hundred milliseconds must land within it even on a machine whose build runs
     * beside the test (with one second, a stall of 0.7 s looked like a dead node).
     */
    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private DerbyFixture db;
    private LeaseTable a;
    private LeaseTable b;
    private LeaseTable c;

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir, ClusterTables.COMPONENT, ClusterTables.MIGRATIONS);
        a = new LeaseTable(db.dataSource(), "node-a", LEASE, Duration.ofMillis(300));
        b = new LeaseTable(db.dataSource(), "node-b", LEASE, Duration.ofMillis(300));
        c = new LeaseTable(db.dataSource(), "node-c", LEASE, Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aKeyHasOneOwnerUntilItsLeaseExpires() throws Exception {
        assertTrue(a.claim("wf:1"));
        assertFalse(b.claim("wf:1"), "a live lease of another node");
        assertFalse(c.claim("wf:1"));
        assertTrue(a.claim("wf:1"), "the owner claims its own lease again (a restarted node gets its work back)");
        assertEquals(List.of("node-a"), owners("wf:1"));
        awaitExpired("wf:1");
        assertTrue(b.claim("wf:1"), "an expired lease is taken over");
        assertEquals(List.of("node-b"), owners("wf:1"));
        assertFalse(a.claim("wf:1"), "its old owner lost it");
        assertEquals(Set.of("wf:1"), a.renew(List.of("wf:1")), "and sees so when it renews: its work must stop");
        assertEquals(Set.of(), b.renew(List.of("wf:1")));
    }

    @Test
    void aLeaseRenewedWhileItsWorkRunsIsNeverTaken() throws Exception {
        assertTrue(a.claim("wf:long"));
        long end = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
        int refused = 0;
        long nextRenewal = 0;
        while (System.nanoTime() < end) {
            if (System.nanoTime() >= nextRenewal) {
                assertEquals(Set.of(), a.renew(List.of("wf:long")), "renewed in time, it is still held");
                nextRenewal = System.nanoTime() + Duration.ofMillis(300).toNanos();
            }
            assertFalse(b.claim("wf:long"), "three lease durations long, the renewed lease stays node-a's");
            refused++;
            Thread.sleep(50);
        }
        assertTrue(refused > 10, "node-b tried all along: " + refused);
        awaitExpired("wf:long"); // renewals stop: it expires, and goes
        assertTrue(b.claim("wf:long"));
    }

    @Test
    void nodesClaimingTheSameKeysAtOnceNeverShareOne() throws Exception {
        // Leases that cannot expire during the test: with the 1 s ones of the others, a loaded machine's claims of
        // one key more than a second apart were rightly won by a second node (the first one's lease had expired).
        Duration hour = Duration.ofHours(1);
        LeaseTable a = new LeaseTable(db.dataSource(), "node-a", hour, Duration.ofMinutes(20));
        LeaseTable b = new LeaseTable(db.dataSource(), "node-b", hour, Duration.ofMinutes(20));
        LeaseTable c = new LeaseTable(db.dataSource(), "node-c", hour, Duration.ofMinutes(20));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            keys.add("wf:k" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<String>>> won = new ArrayList<>();
            for (LeaseTable node : List.of(a, b, c, a, b, c)) {
                Callable<List<String>> claimer = () -> {
                    List<String> mine = new ArrayList<>();
                    for (String k : keys) {
                        if (node.claim(k)) {
                            mine.add(k);
                        }
                    }
                    return mine;
                };
                won.add(pool.submit(claimer));
            }
            Map<String, Integer> winners = new HashMap<>();
            for (Future<List<String>> f : won) {
                f.get().forEach(k -> winners.merge(k, 1, Integer::sum));
            }
            Map<String, String> owner = new HashMap<>();
            a.list().forEach(l -> owner.put(l.key(), l.owner()));
            assertEquals(150, owner.size(), "every key leased once");
            // a node's two threads may both win its own key (a claim of one's own lease renews it); two nodes never
            for (String k : keys) {
                assertTrue(winners.get(k) >= 1 && winners.get(k) <= 2, k + " won " + winners.get(k) + " times");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void offeredWorkIsClaimableByTheFirstNodeThatLooks() throws Exception {
        try (Connection conn = db.dataSource().getConnection()) {
            conn.setAutoCommit(false);
            a.offer(conn, "wf:queued"); // (a read of it waits for this commit on Derby: not looked at before)
            conn.commit();
        }
        assertEquals(List.of("wf:queued"), b.claimable("wf:", 10));
        assertEquals(List.of(), b.claimable("run:", 10), "another prefix");
        assertTrue(b.claim("wf:queued"));
        assertFalse(c.claim("wf:queued"));
        assertEquals(List.of(), c.claimable("wf:", 10), "held now");
        assertThrows(IllegalArgumentException.class, () -> c.claimable("wf_", 10));
    }

    /**
     * Work created elsewhere than in the lease's transaction (the runner's runs, in the run journal): claimed first so
     * that nobody else creates it, then offered by its creator, which has no room; a key another node holds live is
     * not offered from under it.
     */
    @Test
    void aHeldKeyIsOfferedOnItsOwnConnectionAndALiveLeaseOfAnotherNodeIsNot() throws Exception {
        assertTrue(a.claim("run:queued"));
        assertEquals(List.of(), b.claimable("run:", 10), "held by node-a");
        assertTrue(a.offer("run:queued"));
        assertEquals(List.of("run:queued"), b.claimable("run:", 10), "offered: claimable at once");
        assertTrue(a.list().stream().anyMatch(l -> l.key().equals("run:queued") && l.owner() == null && l.expired()),
                "owner none, born expired: " + a.list());
        assertTrue(b.offer("run:never-leased"), "a key nobody leased is offered as a new one");
        assertTrue(b.claim("run:queued"));
        assertFalse(a.offer("run:queued"), "node-b holds it live now");
        assertEquals(List.of("node-b"), owners("run:queued"));
        assertEquals(List.of("run:never-leased"), c.claimable("run:", 10));
    }

    @Test
    void theWorkADeadNodeLeftIsClaimableBeforeTheOfferedBacklogEvenWhenTheBacklogIsOlder() throws Exception {
        try (Connection conn = db.dataSource().getConnection()) {
            conn.setAutoCommit(false);
            a.offer(conn, "wf:backlog-1");
            a.offer(conn, "wf:backlog-2");
            conn.commit();
        }
        assertTrue(a.claim("wf:left-by-a")); // expires a lease after the backlog, which was born expired
        awaitExpired("wf:left-by-a"); // a is dead: its lease runs out
        List<String> claimable = b.claimable("wf:", 10);
        assertEquals(Set.of("wf:left-by-a", "wf:backlog-1", "wf:backlog-2"), Set.copyOf(claimable));
        assertEquals(List.of("wf:left-by-a"), b.claimable("wf:", 1), "the work under way first, then the offered");
        assertEquals("wf:left-by-a", claimable.get(0), "before the older backlog: " + claimable);
    }

    @Test
    void aFenceHoldsTheLeaseUntilTheWritesBehindItCommit() throws Exception {
        try (Connection conn = db.dataSource().getConnection()) {
            conn.setAutoCommit(false);
            a.claimNew(conn, "wf:new");
            conn.commit();
            awaitExpired("wf:new");
            assertEquals(Set.of("wf:new"), a.hold(conn, List.of("wf:new")), "expired, but nobody took it: renewed");
            conn.commit();
            assertFalse(b.claim("wf:new"), "renewed by the fence");
            awaitExpired("wf:new");
            assertTrue(b.claim("wf:new"));
            assertEquals(Set.of(), a.hold(conn, List.of("wf:new")), "taken over: node-a's writes must not go in");
            conn.rollback();
            SQLException twice = assertThrows(SQLException.class, () -> a.claimNew(conn, "wf:new"));
            assertEquals(ClusterTables.DUPLICATE, twice.getSQLState());
            conn.rollback();
        }
    }

    @Test
    void releasedWorkIsGoneAndAReleasedKeyCanBeClaimedAgain() throws Exception {
        assertTrue(a.claim("wf:done"));
        b.release("wf:done"); // not b's, and live: stays
        assertEquals(List.of("node-a"), owners("wf:done"));
        try (Connection conn = db.dataSource().getConnection()) {
            conn.setAutoCommit(false);
            a.release(conn, "wf:done");
            conn.commit();
        }
        assertEquals(List.of(), owners("wf:done"));
        assertTrue(c.claim("wf:done"));
    }

    private List<String> owners(String key) throws SQLException {
        return a.list().stream().filter(l -> l.key().equals(key)).map(LeaseInfo::owner).toList();
    }

    /** Waits until the database's clock says the lease on {@code key} has expired (at most a few lease durations). */
    private void awaitExpired(String key) throws Exception {
        long end = System.nanoTime() + LEASE.multipliedBy(5).toNanos();
        while (System.nanoTime() < end) {
            if (a.list().stream().anyMatch(l -> l.key().equals(key) && l.expired())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the lease on " + key + " did not expire: " + a.list());
    }
}
