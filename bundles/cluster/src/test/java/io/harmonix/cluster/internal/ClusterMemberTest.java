package io.harmonix.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.api.NodeInfo;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes over one real Derby: the node table, heartbeats, who is alive, what each holds, an id used twice. */
class ClusterMemberTest {
    /**
     * Two seconds: a renewal every few hundred milliseconds must land within it even on a machine whose build runs
     * beside the test (with one second, a stall of 0.7 s looked like a dead node).
     */
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration RENEW = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private DerbyFixture db;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private ClusterMember join(String id) throws Exception {
        return new ClusterMember(db.dataSource(), db.migrator(), id, LEASE, RENEW, warnings::add);
    }

    @Test
    void nodesHeartbeatAndAStoppedOneIsNoLongerAlive() throws Exception {
        try (ClusterMember a = join("node-a"); ClusterMember b = join("node-b")) {
            assertTrue(a.leases().claim("wf:1"));
            assertTrue(a.leases().claim("wf:2"));
            assertTrue(b.leases().claim("wf:3"));
            Map<String, NodeInfo> nodes = byId(a.nodes());
            assertEquals(List.of("node-a", "node-b"), List.copyOf(nodes.keySet()));
            assertTrue(nodes.get("node-a").alive() && nodes.get("node-b").alive());
            assertEquals(2, nodes.get("node-a").leases());
            assertEquals(1, nodes.get("node-b").leases());
            var firstSeen = nodes.get("node-a").lastSeen();
            Thread.sleep(RENEW.multipliedBy(3).toMillis());
            assertTrue(byId(b.nodes()).get("node-a").lastSeen().isAfter(firstSeen), "the heartbeat moves last seen");
            b.close(); // its heartbeat stops, as a killed runtime's does
            long end = System.nanoTime() + LEASE.multipliedBy(5).toNanos();
            while (byId(a.nodes()).get("node-b").alive() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            NodeInfo gone = byId(a.nodes()).get("node-b");
            assertFalse(gone.alive(), "no heartbeat for longer than a lease");
            assertEquals(1, gone.leases(), "its lease stays its own until another node claims it");
            assertTrue(byId(a.nodes()).get("node-a").alive());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void aRestartedNodeJoinsAgainUnderItsIdAndKeepsItsLeases() throws Exception {
        try (ClusterMember first = join("node-a")) {
            assertTrue(first.leases().claim("wf:kept"));
        }
        try (ClusterMember again = join("node-a"); ClusterMember other = join("node-b")) {
            assertFalse(other.leases().claim("wf:kept"), "not expired yet: still node-a's");
            assertEquals(2, again.nodes().size(), "node-b joined at its first lease, node-a at its list of nodes");
            assertTrue(again.leases().claim("wf:kept"), "node-a, restarted, has it back at once");
        }
    }

    @Test
    void aNodeJoinsAtItsFirstLeaseNotAtItsStart() throws Exception {
        // a heartbeat far away: only a use of the node can write its row
        try (ClusterMember idle = new ClusterMember(db.dataSource(), db.migrator(), "node-idle", LEASE,
                Duration.ofHours(1), warnings::add);
                ClusterMember busy = join("node-busy")) {
            assertEquals(List.of("node-busy"), List.copyOf(byId(busy.nodes()).keySet()),
                    "a node that used nothing has written nothing (a command that needs no database boots none)");
            assertTrue(idle.leases().claim("wf:1"));
            assertEquals(List.of("node-busy", "node-idle"), List.copyOf(byId(busy.nodes()).keySet()));
            assertEquals(1, byId(busy.nodes()).get("node-idle").leases());
        }
        assertEquals(List.of(), warnings);
    }

    /**
     * Two runtimes of one host under one id (a restart after a crash looks alike to the newcomer): the newer takes the
     * id over, and the older, told so by its next heartbeat, holds none of the id's leases from then on: its renewals
     * answer them lost, its claims fail. Before, both renewed and claimed as one node.
     */
    @Test
    void twoRuntimesUnderOneIdOnOneHostLeaveTheLeasesToTheNewerOne() throws Exception {
        try (ClusterMember first = join("node-a")) {
            assertTrue(first.leases().claim("wf:1"));
            try (ClusterMember second = join("node-a")) {
                assertTrue(second.leases().claim("wf:1"), "its own id's lease: a restarted runtime's, at once");
                long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (warnings.isEmpty() && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertEquals(1, warnings.size(), "said once, not at every heartbeat: " + warnings);
                assertTrue(warnings.get(0).startsWith("node id node-a was taken by another runtime"), warnings.get(0));
                assertTrue(warnings.get(0).contains("harmonix.node.id"), warnings.get(0));
                assertEquals(java.util.Set.of("wf:1"), first.leases().renew(List.of("wf:1")), "lost to the older");
                assertFalse(first.leases().claim("wf:2"));
                assertEquals(java.util.Set.of(), second.leases().renew(List.of("wf:1")), "held by the newer");
                assertTrue(second.leases().claim("wf:2"));
            }
        }
    }

    /** A runtime on another host under the id of a live one does not join, and says whose it is. */
    @Test
    void aRuntimeOnAnotherHostUnderTheIdOfALiveOneIsRefused() throws Exception {
        try (ClusterMember first = join("node-a")) {
            assertTrue(first.leases().claim("wf:1"));
            try (ClusterMember elsewhere = new ClusterMember(db.dataSource(), db.migrator(), "node-a", LEASE, RENEW,
                    warnings::add) {
                @Override
                String host() {
                    return "elsewhere.example";
                }
            }) {
                java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        java.sql.SQLException.class, () -> elsewhere.leases().claim("wf:2"));
                assertEquals(NodeTable.ID_IN_USE, refused.getSQLState());
                assertTrue(refused.getMessage().startsWith("node id node-a is in use by a live runtime on host "
                        + NodeIdentity.host() + " (its last heartbeat "), refused.getMessage());
                assertTrue(refused.getMessage().endsWith("give each runtime its own harmonix.node.id"),
                        refused.getMessage());
                assertEquals(java.util.Set.of(), first.leases().renew(List.of("wf:1")), "the live one keeps its own");
            }
        }
    }

    /**
     * A node's first lease taken in a caller's transaction, with the pool's one connection held by that caller: the
     * node joins on its own thread once a connection is free, and the lease does not wait for it. Before, the join
     * asked the pool for a second connection inside the caller's transaction and failed after the pool's wait.
     */
    @Test
    void aFirstLeaseInACallersTransactionDoesNotWaitForASecondConnection() throws Exception {
        try (io.harmonix.store.provider.ConnectionPool one = new io.harmonix.store.provider.ConnectionPool(
                db.dataSource(), "one", 1, Duration.ofMillis(500));
                ClusterMember node = new ClusterMember(one, db.migrator(), "node-a", LEASE, RENEW, warnings::add)) {
            try (java.sql.Connection c = one.getConnection()) {
                c.setAutoCommit(false);
                node.leases().claimNew(c, "wf:1");
                c.commit();
            }
            assertEquals(List.of("wf:1"), node.leases().list().stream().map(l -> l.key()).toList());
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!byId(node.nodes()).containsKey("node-a")) {
                assertTrue(System.nanoTime() < end, "node-a joined once the connection was free");
                Thread.sleep(20);
            }
        }
        assertEquals(List.of(), warnings);
    }

    private static Map<String, NodeInfo> byId(List<NodeInfo> nodes) {
        return nodes.stream().collect(Collectors.toMap(NodeInfo::id, Function.identity(), (x, y) -> x,
                java.util.LinkedHashMap::new));
    }
}
