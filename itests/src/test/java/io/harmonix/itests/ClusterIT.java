package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.store.postgresql.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged runtimes on one PostgreSQL share 3 000 workflow tasks (300 instances of ten {@code http/request}
 * tasks, started on runtime B, which holds four at a time and offers the rest): in the middle, runtime A is killed
 * with SIGKILL (its whole process tree), and then runtime C loses its database (a proxy between them resets every
 * connection and refuses new ones) for two leases, and gets it back. Every instance still succeeds with the
 * outputs its inputs give on one runtime; the receiver of the requests saw every task's idempotency key, and a key
 * twice only for a task the killed or the cut runtime had under way; every runtime did a share; and no lease is
 * left to the dead runtime. It prints how long the others took to go on with the dead runtime's instances: a lease
 * (claims take the leases a node left before the offered ones). Then, A dead, a fleet build of ten real git
 * repositories in three levels is started on B through the client; its repositories are child instances spread
 * over B and C, and C is killed with SIGKILL while it runs one of their checks: the build ends as on one runtime
 * (each repository's outcome and commit, each outcome recorded once, no repository checked before its
 * dependencies' checks ended), B and C each ran checks (the check records' nodes, read over JDBC), and only the
 * killed runtime's check was cut.
 */
class ClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INSTANCES = 300;
    private static final int TASKS = INSTANCES * ClusterRig.TASKS;
    /**
     * Each runtime holds at most 4 instances and each request takes 150 ms to answer: one runtime then ends fewer
     * instances a second than runtime B starts (from one client script), so the others get work offered (with no
     * wait, B alone ran 2 860 of the 3 000 tasks in the 11 s the starts took).
     */
    private static final int MAX_INSTANCES = 4;
    private static final long TASK_MILLIS = 150;

    @TempDir
    Path dir;

    @Test
    void threeRuntimesShareTheTasksAndLoseNoneWhenOneIsKilledAndAnotherCutOff() throws Exception {
        try (PostgresServer server = PostgresServer.start(dir);
                LoopbackProxy proxy = new LoopbackProxy(server.port());
                ClusterRig rig = ClusterRig.postgres(dir, server, MAX_INSTANCES, TASK_MILLIS)) {
            ClusterRig.Node a = rig.add("a");
            ClusterRig.Node b = rig.add("b");
            ClusterRig.Node c = rig.add("c", proxy.port());
            ClusterFleet fleet = new ClusterFleet(dir);
            for (ClusterRig.Node n : List.of(a, b, c)) {
                fleet.configure(n);
            }
            rig.deploy(b);
            rig.startAll();
            TaskReceiver receiver = rig.receiver;
            List<String> log = new CopyOnWriteArrayList<>();

            long t0 = System.nanoTime();
            // started from a client on a thread of its own: on a loaded machine the starts took from 10 to 21 s, and
            // the kill and the cut must fall in the middle of the work whatever that time
            CompletableFuture<List<String>> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    List<String> started = rig.startInstances(b, 0, INSTANCES);
                    log.add(at(t0) + " " + INSTANCES + " instances started on b");
                    return started;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // the kill: once a third of the tasks are done and A has done some
            assertTrue(receiver.awaitCount(TASKS / 3, 90_000), "a third of the tasks within 90 s: "
                    + receiver.count() + " " + rig.states());
            while (sentBy(receiver.receipts(), "a") == 0 && receiver.count() < TASKS * 2 / 3) {
                Thread.sleep(50);
            }
            long killedAt = System.nanoTime();
            rig.kill(a);
            int doneAtKill = receiver.count();
            log.add(at(t0) + " a killed (kill -9) after " + doneAtKill + " requests " + shares(receiver.receipts()));

            // the cut: a sixth of the tasks later
            assertTrue(receiver.awaitCount(doneAtKill + TASKS / 6, 90_000), "requests after the kill: "
                    + receiver.count() + " " + rig.states() + "\n" + String.join("\n", log));
            long cutAt = System.nanoTime();
            proxy.cut();
            int doneAtCut = receiver.count();
            log.add(at(t0) + " c cut from the database after " + doneAtCut + " requests " + shares(receiver.receipts()));
            // restored after two leases: by then C's leases have expired and B has claimed its instances, so C
            // comes back to find them held by another (fenced out) and takes new work
            Thread.sleep(2 * Duration.parse("PT" + ClusterRig.LEASE).toMillis());
            long heldByC;
            try (Connection db = rig.connect()) {
                heldByC = count(db, "SELECT COUNT(*) FROM CLUSTER_LEASE WHERE OWNER = '" + c.nodeId() + "'");
            }
            proxy.restore();
            log.add(at(t0) + " c's database restored (" + heldByC + " leases still name c; " + proxy.counts() + ")");

            List<String> ids = starting.get(3, TimeUnit.MINUTES);
            boolean all = rig.awaitSucceeded(INSTANCES, Duration.ofSeconds(120));
            log.add(at(t0) + " " + rig.states());
            List<TaskReceiver.Receipt> receipts = receiver.receipts();

            // every key reached the receiver
            Set<String> expected = new TreeSet<>();
            for (String id : ids) {
                for (String task : ClusterRig.taskIds()) {
                    expected.add(id + "/" + task);
                }
            }
            Map<String, List<TaskReceiver.Receipt>> byKey = new TreeMap<>();
            for (TaskReceiver.Receipt r : receipts) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(byKey.keySet());
            Set<String> unexpected = new TreeSet<>(byKey.keySet());
            unexpected.removeAll(expected);
            String story = String.join("\n", log);
            assertTrue(all, "not every instance succeeded within 2 minutes: " + rig.states() + "; keys never "
                    + "received (" + missing.size() + "): " + first(missing) + "; unfinished instances and their "
                    + "leases: " + unfinished(rig) + " (nodes a " + a.nodeId() + ", b " + b.nodeId() + ", c "
                    + c.nodeId() + ")\n" + story);
            assertTrue(missing.isEmpty() && unexpected.isEmpty(), "keys never received (" + missing.size() + "): "
                    + first(missing) + "; keys not expected (" + unexpected.size() + "): " + first(unexpected) + "\n"
                    + story);

            // a key twice only for a task that the killed or the cut runtime had under way
            int repeated = 0;
            List<String> wrongRepeats = new ArrayList<>();
            for (Map.Entry<String, List<TaskReceiver.Receipt>> e : byKey.entrySet()) {
                List<TaskReceiver.Receipt> times = e.getValue();
                if (times.size() > 1) {
                    repeated++;
                    for (TaskReceiver.Receipt earlier : times.subList(0, times.size() - 1)) {
                        if (!earlier.node().equals("a") && !earlier.node().equals("c")) {
                            wrongRepeats.add(e.getKey() + " sent by " + nodes(times));
                        }
                    }
                }
            }
            assertTrue(wrongRepeats.isEmpty(), "keys sent again after a runtime other than the killed (a) and the "
                    + "cut (c) one had sent them: " + wrongRepeats + "\n" + story);

            // every runtime did a share
            Map<String, Integer> share = shares(receipts);
            assertEquals(0, share.get("unknown"), "requests from no runtime of the test: " + share);
            for (String n : List.of("a", "b", "c")) {
                assertTrue(share.get(n) > 0, "runtime " + n + " sent no request: " + share + "\n" + story);
            }

            // every instance succeeded with the outputs its input gives on one runtime
            List<String> wrongOutputs = new ArrayList<>();
            try (Connection db = rig.connect(); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT ID, STATE, INPUT_JSON, OUTPUT_JSON FROM WF_INSTANCE")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    long i = JSON.readTree(rs.getString(3)).get("i").asLong();
                    JsonNode output = rs.getString(4) == null ? null : JSON.readTree(rs.getString(4));
                    JsonNode want = JSON.readTree(JSON.writeValueAsString(ClusterRig.expected(i))); // numbers as read
                    if (!"SUCCEEDED".equals(rs.getString(2)) || !want.equals(output)) {
                        wrongOutputs.add(rs.getString(1) + " (i=" + i + ") " + rs.getString(2) + " " + output
                                + ", expected " + want);
                    }
                }
                assertEquals(INSTANCES, rows, "instances in WF_INSTANCE");
            }
            assertTrue(wrongOutputs.isEmpty(), "instances with other outputs than on one runtime: " + wrongOutputs);

            // no lease left to the dead runtime
            PackagedRuntime.Result leases = rig.client(b, "cluster:leases --json");
            assertEquals(0, leases.exit(), leases.toString());
            List<String> held = new ArrayList<>();
            for (JsonNode l : JSON.readTree(leases.out())) {
                if (a.nodeId().equals(l.path("owner").asText())) {
                    held.add(l.get("key").asText());
                }
            }
            assertTrue(held.isEmpty(), "leases still held by the dead runtime " + a.nodeId() + ": " + held);

            // a fleet build on the runtimes left, started on B: its repositories are child instances, offered
            // where B has no room, checked in the sandbox of the runtime that runs them; C is killed while it runs
            // a check, and B goes on with C's repositories once their leases expire
            long buildStart = System.nanoTime();
            CompletableFuture<PackagedRuntime.Result> building = CompletableFuture.supplyAsync(() -> {
                try {
                    return rig.client(b, "repo:discover; repo:build --parallel " + ClusterFleet.FLEET.size()
                            + " --timeout 2m --json");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection db = rig.connect()) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!building.isDone() && System.nanoTime() < end && ClusterFleet.running(db, c.nodeId()) == 0) {
                    Thread.sleep(50);
                }
            }
            assertTrue(!building.isDone(), "the build ended before C ran a check of it: " + (building.isDone()
                    ? building.get() : ""));
            rig.kill(c);
            String cKilled = at(buildStart);
            PackagedRuntime.Result built = building.get(3, TimeUnit.MINUTES);
            String buildTook = at(buildStart);
            JsonNode report = ClusterFleet.report(built.out());
            List<ClusterFleet.Check> checks;
            try (Connection db = rig.connect()) {
                checks = ClusterFleet.checks(db);
                fleet.assertAsOnOneRuntime(report, db, checks);
            }
            Map<String, Integer> checksBy = new LinkedHashMap<>();
            for (ClusterRig.Node n : List.of(a, b, c)) {
                checksBy.put(n.name, (int) checks.stream().filter(k -> n.nodeId().equals(k.node())).count());
            }
            assertEquals(checks.size(), checksBy.values().stream().mapToInt(Integer::intValue).sum(),
                    "checks of no runtime of the test: " + checks);
            assertTrue(checksBy.get("b") > 0 && checksBy.get("c") > 0, "B and C (alive at the build's start) each "
                    + "ran checks of it: " + checksBy + "\n" + built);
            List<ClusterFleet.Check> cut = checks.stream().filter(k -> k.end() == null).toList();
            assertTrue(!cut.isEmpty() && cut.stream().allMatch(k -> c.nodeId().equals(k.node())
                    && k.error() != null && k.error().contains("died")), "the kill of C cut its check, and only C's "
                    + "checks were cut (closed by B as its runtime's death): " + checks);

            System.out.println("ClusterIT: " + TASKS + " tasks of " + INSTANCES + " instances on 3 runtimes, every "
                    + "key received, every output as on one runtime; requests by runtime " + share + "; "
                    + repeated + " keys received twice (tasks under way at the kill or the cut); takeover after "
                    + "the kill " + takeover(receipts, "a", killedAt) + ", after the cut " + takeover(receipts, "c",
                    cutAt) + " (lease " + ClusterRig.LEASE + ", claims every 250 ms); " + proxy.counts() + "; "
                    + "leases left: " + JSON.readTree(leases.out()).size() + "; a fleet build of "
                    + ClusterFleet.FLEET.size() + " repositories on b and c, c killed at" + cKilled + " in one of its "
                    + "checks, ended in" + buildTook + ", " + checks.size() + " checks by runtime " + checksBy
                    + ", outcomes as on one runtime\n" + story);
        }
    }

    /**
     * From {@code at} to the first request, sent by another runtime, of an instance {@code node} had left
     * unfinished at that instant (it had sent one of its keys, and not all of them).
     */
    private static String takeover(List<TaskReceiver.Receipt> receipts, String node, long at) {
        Map<String, Integer> sentBefore = new HashMap<>();
        Set<String> byNode = new HashSet<>();
        for (TaskReceiver.Receipt r : receipts) {
            if (r.at() < at) {
                String id = r.key().substring(0, r.key().indexOf('/'));
                sentBefore.merge(id, 1, Integer::sum);
                if (r.node().equals(node)) {
                    byNode.add(id);
                }
            }
        }
        byNode.removeIf(id -> sentBefore.get(id) >= ClusterRig.TASKS);
        for (TaskReceiver.Receipt r : receipts) {
            if (r.at() >= at && !r.node().equals(node)
                    && byNode.contains(r.key().substring(0, r.key().indexOf('/')))) {
                return String.format(java.util.Locale.ROOT, "%.1f s (%d instances left unfinished)",
                        (r.at() - at) / 1e9, byNode.size());
            }
        }
        return "none (" + byNode.size() + " instances left unfinished)";
    }

    private static Map<String, Integer> shares(List<TaskReceiver.Receipt> receipts) {
        Map<String, Integer> share = new LinkedHashMap<>();
        for (String n : List.of("a", "b", "c", "unknown")) {
            share.put(n, sentBy(receipts, n));
        }
        return share;
    }

    private static int sentBy(List<TaskReceiver.Receipt> receipts, String node) {
        return (int) receipts.stream().filter(r -> r.node().equals(node)).count();
    }

    private static String nodes(List<TaskReceiver.Receipt> times) {
        return times.stream().map(TaskReceiver.Receipt::node).toList().toString();
    }

    private static String first(Set<String> keys) {
        return keys.stream().limit(20).toList() + (keys.size() > 20 ? "..." : "");
    }

    private static String at(long t0) {
        return String.format(java.util.Locale.ROOT, "%6.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private static List<String> unfinished(ClusterRig rig) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = rig.connect(); Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT I.ID, I.STATE, L.OWNER, L.EXPIRES_AT, CURRENT_TIMESTAMP FROM "
                        + "WF_INSTANCE I LEFT JOIN CLUSTER_LEASE L ON L.LEASE_KEY = 'wf:' || I.ID WHERE I.STATE <> "
                        + "'SUCCEEDED' ORDER BY I.ID")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " lease " + rs.getString(3) + " until "
                        + rs.getTimestamp(4) + " (now " + rs.getTimestamp(5) + ")");
            }
        }
        return rows;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                fail(sql);
            }
            return rs.getLong(1);
        }
    }
}
