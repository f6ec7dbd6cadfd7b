package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two and three engines, each its own node of the cluster, over one real Derby database: instances shared by lease
 * (work split, each task once by its idempotency key), the instances of an engine that stops abruptly finished by
 * another once its leases expire (with the same keys), and a lease renewed while a long task runs never taken.
 */
class SharedInstancesTest {
    /**
     * Two seconds: a renewal every few hundred milliseconds must land within it even on a machine whose build runs
     * beside the test (with one second, a stall of 0.7 s looked like a dead node).
     */
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration RENEW = Duration.ofMillis(300);
    private static final Duration CLAIMS = Duration.ofMillis(100);

    /** Three tasks, a then b and c: b by the action given, the one a test holds or slows. */
    private static String workflow(String name, String middle) {
        return """
                name: %s
                version: 1
                tasks:
                  a: {component: test, action: work}
                  b: {component: test, action: %s, depends_on: [a]}
                  c: {component: test, action: work, depends_on: [a]}
                """.formatted(name, middle);
    }

    @TempDir
    Path dir;

    private DerbyFixture db;
    private final List<ClusterFixture> nodes = new ArrayList<>();
    private final List<WorkflowEngine> engines = new ArrayList<>();
    /** Every run of a task: its idempotency key and the node whose engine ran it, in order. */
    private final List<String[]> runs = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final Map<String, CountDownLatch> heldStarted = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir);
    }

    @AfterEach
    void tearDown() {
        engines.forEach(WorkflowEngine::close);
        nodes.forEach(ClusterFixture::close);
        db.close();
    }

    /** An engine of its own node, claiming instances while it holds fewer than {@code capacity} (0: no limit). */
    private WorkflowEngine engine(String nodeId, int capacity) throws Exception {
        ClusterFixture node = ClusterFixture.join(db.dataSource(), db.migrator(), nodeId, LEASE, RENEW);
        nodes.add(node);
        WorkflowEngine e = WorkflowEngine.durable(db.dataSource(), db.migrator(), node, capacity, CLAIMS,
                w -> {
                    warnings.add(nodeId + ": " + w);
                    System.err.println(nodeId + ": " + w);
                });
        e.addHandler("work", ctx -> {
            runs.add(new String[] {ctx.idempotencyKey(), nodeId});
            Thread.sleep(20);
            return Map.of("by", nodeId);
        }, List.of("test"), List.of("work"));
        e.addHandler("held", ctx -> {
            runs.add(new String[] {ctx.idempotencyKey(), nodeId});
            heldStarted.computeIfAbsent(ctx.instanceId(), k -> new CountDownLatch(1)).countDown();
            gate.await();
            return Map.of("by", nodeId);
        }, List.of("test"), List.of("held"));
        e.addHandler("long", ctx -> {
            runs.add(new String[] {ctx.idempotencyKey(), nodeId});
            Thread.sleep(LEASE.multipliedBy(3).toMillis()); // three leases long: renewed meanwhile
            return Map.of("by", nodeId);
        }, List.of("test"), List.of("long"));
        e.addHandler("child", ctx -> { // what workflow/run does (workflow-handlers): start once by key, then wait
            InstanceInfo child = e.startOnce(ctx.idempotencyKey(), "child", null, Map.of(), null);
            InstanceInfo done = e.await(child.id(), Duration.ofSeconds(60));
            if (done.state() != InstanceState.SUCCEEDED) {
                throw new IllegalStateException("child " + done.id() + " " + done.state());
            }
            return Map.of("instance", done.id());
        }, List.of("test"), List.of("child"));
        e.addHandler("slow", ctx -> {
            runs.add(new String[] {ctx.idempotencyKey(), nodeId});
            Thread.sleep(500); // long beside a claim interval: the engines with room claim the offered children
            return Map.of("by", nodeId);
        }, List.of("test"), List.of("slow"));
        engines.add(e);
        return e;
    }

    /** A parent of {@code n} sub-workflows at once, each child one slow task. */
    private static void deployParent(WorkflowEngine e, int n) throws Exception {
        e.deploy("child.yaml", "name: child\nversion: 1\ntasks:\n  work: {component: test, action: slow}\n");
        StringBuilder tasks = new StringBuilder();
        for (int i = 0; i < n; i++) {
            tasks.append("  c").append(i).append(": {component: test, action: child}\n");
        }
        e.deploy("parent.yaml", "name: parent\nversion: 1\nparallelism: " + n + "\ntasks:\n" + tasks);
    }

    @Test
    void threeEnginesSplitTheInstancesAndRunEachTaskOnce() throws Exception {
        WorkflowEngine a = engine("node-a", 2);
        engine("node-b", 2);
        engine("node-c", 2);
        a.deploy("split.yaml", workflow("split", "work"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(a.start("split", null, Map.of(), null).id()); // all started on node-a, which holds 2 at once
        }
        for (String id : ids) {
            InstanceInfo done = a.await(id, Duration.ofSeconds(60));
            assertEquals(InstanceState.SUCCEEDED, done.state(), id + ": " + done.error());
        }
        Map<String, Long> byKey = runs.stream().collect(Collectors.groupingBy(r -> r[0], Collectors.counting()));
        assertEquals(90, byKey.size(), "3 tasks of 30 instances");
        byKey.forEach((key, n) -> assertEquals(1L, n, key + " ran " + n + " times"));
        Map<String, Set<String>> instancesByNode = new HashMap<>();
        for (String[] r : runs) {
            instancesByNode.computeIfAbsent(r[1], k -> new java.util.TreeSet<>()).add(r[0].substring(0,
                    r[0].indexOf('/')));
        }
        assertEquals(Set.of("node-a", "node-b", "node-c"), instancesByNode.keySet(), "each engine did a share");
        int total = instancesByNode.values().stream().mapToInt(Set::size).sum();
        assertEquals(30, total, "each instance ran in one engine only: " + instancesByNode);
        assertEquals(List.of(), leases(), "every lease ended with its instance");
        assertEquals(List.of(), warnings);
    }

    @Test
    void theInstancesOfAnEngineThatStopsAbruptlyAreFinishedByAnotherWithTheSameKeys() throws Exception {
        WorkflowEngine a = engine("node-a", 0);
        a.deploy("held.yaml", workflow("held", "held"));
        gate = new CountDownLatch(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = a.start("held", null, Map.of(), null).id();
            ids.add(id);
            assertTrue(heldStarted.computeIfAbsent(id, k -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS));
        }
        // node-a dies: its engine's threads stop, its heartbeat stops, its leases are neither renewed nor released
        a.close();
        nodes.get(0).close();
        assertEquals(Set.of("node-a"), leases().stream().map(LeaseInfo::owner).collect(Collectors.toSet()));
        gate = new CountDownLatch(0);
        WorkflowEngine b = engine("node-b", 0);
        engine("node-c", 0);
        for (String id : ids) {
            InstanceInfo done = b.await(id, Duration.ofSeconds(30));
            assertEquals(InstanceState.SUCCEEDED, done.state(), id + ": " + done.error());
            assertNotEquals("node-a", done.tasks().get(1).output().get("by"), "b finished by another engine");
            List<String> heldRuns = runs.stream().filter(r -> r[0].equals(id + "/b")).map(r -> r[1]).toList();
            assertEquals(2, heldRuns.size(), "b ran on node-a, then again elsewhere with the same key: " + heldRuns);
            assertEquals("node-a", heldRuns.get(0));
            assertEquals(1, runs.stream().filter(r -> r[0].equals(id + "/a")).count(), "a had ended: not again");
            assertEquals(1, b.history(id).stream().filter(h -> "b".equals(h.task())
                    && h.kind().equals("task.succeeded")).count());
            assertEquals(1, b.history(id).stream().map(HistoryEvent::kind).filter("instance.finished"::equals)
                    .count());
        }
        assertEquals(List.of(), leases());
    }

    @Test
    void aLeaseRenewedWhileALongTaskRunsIsNotTaken() throws Exception {
        WorkflowEngine a = engine("node-a", 0);
        engine("node-b", 0);
        engine("node-c", 0);
        a.deploy("long.yaml", workflow("long", "long"));
        String id = a.start("long", null, Map.of(), null).id();
        InstanceInfo done = a.await(id, Duration.ofSeconds(30));
        assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        List<String> longRuns = runs.stream().filter(r -> r[0].equals(id + "/b")).map(r -> r[1]).toList();
        assertEquals(List.of("node-a"), longRuns, "three leases long, renewed: nobody else ran it");
        assertTrue(runs.stream().allMatch(r -> r[1].equals("node-a")), "the other engines never took it");
        assertEquals(List.of(), warnings);
    }

    @Test
    void anEngineWithoutRoomOffersWhatItStartsAndTakesItBackAsItsOwnEnd() throws Exception {
        WorkflowEngine a = engine("node-a", 1);
        a.deploy("split.yaml", workflow("split", "work"));
        String first = a.start("split", null, Map.of(), null).id();
        String second = a.start("split", null, Map.of(), null).id();
        assertEquals(InstanceState.SUCCEEDED, a.await(first, Duration.ofSeconds(30)).state());
        assertEquals(InstanceState.SUCCEEDED, a.await(second, Duration.ofSeconds(30)).state(),
                "offered, then claimed by the one engine once it had room");
        assertTrue(runs.stream().allMatch(r -> r[1].equals("node-a")));
    }

    /**
     * An engine that claims a dead engine's instance while the database fails to read it (here its table is away for
     * a moment) neither holds it for ever, renewed and never run, nor lets it go: it drops the claim, and the
     * instance is claimed again once that lease expires and runs to its end.
     */
    @Test
    void anInstanceClaimedWhileTheDatabaseFailsItsReadIsClaimedAgainAfterALease() throws Exception {
        WorkflowEngine a = engine("node-a", 0);
        a.deploy("held.yaml", workflow("held", "held"));
        gate = new CountDownLatch(1);
        String id = a.start("held", null, Map.of(), null).id();
        assertTrue(heldStarted.computeIfAbsent(id, k -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS));
        a.close();
        nodes.get(0).close();
        gate = new CountDownLatch(0);
        rename("WF_INSTANCE", "WF_INSTANCE_AWAY");
        WorkflowEngine b = engine("node-b", 0);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (warnings.stream().noneMatch(w -> w.startsWith("node-b: workflow instance " + id + " claimed"))) {
            assertTrue(System.nanoTime() < end, "node-b claimed the instance: " + warnings);
            Thread.sleep(20);
        }
        rename("WF_INSTANCE_AWAY", "WF_INSTANCE");
        InstanceInfo done = b.await(id, Duration.ofSeconds(20));
        assertEquals(InstanceState.SUCCEEDED, done.state(), "claimed again after a lease, and run to its end");
        assertEquals(List.of(), leases());
    }

    /**
     * A single runtime whose database is away for longer than a lease goes on with its instances when it is back:
     * no other node was alive, so nobody could have taken them. Before, it stopped every one of them after a lease
     * and replayed them all (a task under way ran twice).
     */
    @Test
    void aClusterOfOneKeepsItsInstancesThroughADatabaseOutageLongerThanALease() throws Exception {
        WorkflowEngine solo = engine("node-solo", 0);
        solo.deploy("held.yaml", workflow("held", "held"));
        CountDownLatch hold = new CountDownLatch(1);
        gate = hold;
        String id = solo.start("held", null, Map.of(), null).id();
        assertTrue(heldStarted.computeIfAbsent(id, k -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS));
        Thread.sleep(RENEW.toMillis() * 3); // renewed: it is alone
        rename("CLUSTER_LEASE", "CLUSTER_LEASE_AWAY"); // the leases unreachable: every renewal fails
        Thread.sleep(LEASE.toMillis() + RENEW.toMillis() * 3);
        rename("CLUSTER_LEASE_AWAY", "CLUSTER_LEASE");
        Thread.sleep(RENEW.toMillis() * 3);
        hold.countDown();
        assertEquals(InstanceState.SUCCEEDED, solo.await(id, Duration.ofSeconds(20)).state());
        assertEquals(1, runs.stream().filter(r -> r[0].equals(id + "/b")).count(), "b ran once: kept, not replayed");
        assertTrue(warnings.stream().noneMatch(w -> w.contains("stops")), warnings.toString());
    }

    private void rename(String from, String to) throws Exception {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(DerbyFixture.store().equals("derby") ? "RENAME TABLE " + from + " TO " + to
                    : "ALTER TABLE " + from + " RENAME TO " + to);
        }
    }

    @Test
    void theSubWorkflowsOfAParentGoWhereThereIsRoom() throws Exception {
        WorkflowEngine a = engine("node-a", 1);
        engine("node-b", 1);
        engine("node-c", 1);
        deployParent(a, 3);
        InstanceInfo done = a.await(a.start("parent", null, Map.of(), null).id(), Duration.ofSeconds(60));
        assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        // the parent waits on node-a and takes no room there: one child runs beside it, the two others are offered
        // and each engine with room (one each) claims one
        assertEquals(3, runs.size());
        assertEquals(Set.of("node-a", "node-b", "node-c"), runs.stream().map(r -> r[1]).collect(Collectors.toSet()),
                "each engine ran one child");
        assertEquals(List.of(), leases(), "every lease ended with its instance");
        assertEquals(List.of(), warnings);
    }

    @Test
    void aParentWaitingForItsChildrenLeavesThemRoomOnItsOwnEngine() throws Exception {
        WorkflowEngine a = engine("node-a", 1); // one place only: the parent waiting in it must not hold it
        deployParent(a, 2);
        InstanceInfo done = a.await(a.start("parent", null, Map.of(), null).id(), Duration.ofSeconds(30));
        assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(2, runs.size(), "both children ran, one after the other (the second offered, then claimed)");
        assertEquals(List.of(), leases());
    }

    @Test
    void aVersionDeployedByAnotherEngineIsFoundInTheDatabase() throws Exception {
        WorkflowEngine a = engine("node-a", 0);
        WorkflowEngine b = engine("node-b", 0); // started before the deployment: it did not read it at its start
        a.deploy("split.yaml", workflow("split", "work"));
        InstanceInfo done = b.await(b.start("split", "1", Map.of(), null).id(), Duration.ofSeconds(30));
        assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals("1", b.definition("split", null).orElseThrow().version(), "known here from then on");
    }

    private List<LeaseInfo> leases() throws Exception {
        return nodes.get(nodes.size() - 1).leases().list();
    }
}
