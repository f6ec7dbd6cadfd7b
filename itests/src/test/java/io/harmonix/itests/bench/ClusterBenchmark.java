package io.harmonix.itests.bench;

import io.harmonix.itests.ClusterRig;
import io.harmonix.itests.TaskReceiver;
import io.harmonix.store.postgresql.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Durable workflow tasks per second of packaged runtimes: one on embedded Derby, then one, two and three on one
 * PostgreSQL server, in one run on this machine; then the time the others take to go on with the work of a runtime
 * killed with SIGKILL. The tasks are those of ClusterIT ({@link ClusterRig}: ten {@code http/request} tasks an
 * instance, answered at once by a loopback receiver), so what is measured is the engine's own cost: a task's
 * request, its start and end in the history (group-committed), the lease renewals. The instances (300) are created
 * before the runtimes start (exec mode, offering them), so that how fast a client starts them does not bound the
 * rate; each runtime holds at most 10 at once. The requests are held unanswered until every runtime is up (each
 * holding its first instances), then the clock starts; the rate counts the tasks whose requests came after, up to
 * the last task's request: a task's request goes out only once the ends it depends on are durable, so only the
 * last group commit is outside the window.
 *
 * <p>Run (under the build lock): {@code mvn -o -q -B -Pbench -pl itests test-compile exec:java@cluster}.
 */
public final class ClusterBenchmark {
    private static final int INSTANCES = 300;
    private static final int MAX_INSTANCES = 10;

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("harmonix-cluster-bench");
        String loadBefore = load();
        Map<String, Double> rates = new LinkedHashMap<>();
        String takeover;
        try (PostgresServer server = PostgresServer.start(dir)) {
            rates.put("Derby, 1 runtime", run(dir.resolve("derby"), null, 1, false)[0]);
            rates.put("PostgreSQL, 1 runtime", run(dir.resolve("pg1"), server, 1, false)[0]);
            rates.put("PostgreSQL, 2 runtimes", run(dir.resolve("pg2"), server, 2, false)[0]);
            double[] three = run(dir.resolve("pg3"), server, 3, true);
            rates.put("PostgreSQL, 3 runtimes", three[0]);
            takeover = String.format(Locale.ROOT, "%.1f s to %.1f s (3 instances, lease %s, renewals every 1 s, "
                    + "claims every 250 ms)", three[1], three[2], ClusterRig.LEASE);
        }
        double derby = rates.get("Derby, 1 runtime");
        double pg1 = rates.get("PostgreSQL, 1 runtime");
        System.out.printf(Locale.ROOT, "cluster throughput, %d instances of %d tasks, at most %d held per runtime, "
                + "%d cores, Java %s; load average before %s, after %s%n", INSTANCES, ClusterRig.TASKS,
                MAX_INSTANCES, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                loadBefore, load());
        rates.forEach((name, rate) -> System.out.printf(Locale.ROOT, "%-24s %7.0f tasks/s  %.2fx Derby  %.2fx "
                + "PostgreSQL with 1%n", name, rate, rate / derby, rate / pg1));
        System.out.println("takeover of a runtime killed with SIGKILL (kill to the first request of its instances "
                + "sent by another runtime): " + takeover);
    }

    /**
     * One configuration: {@code runtimes} runtimes on a new database of {@code server} (Derby when null).
     *
     * @return the rate in tasks per second; with {@code takeover}, then the shortest and longest takeover in seconds
     */
    private static double[] run(Path dir, PostgresServer server, int runtimes, boolean takeover) throws Exception {
        Files.createDirectories(dir);
        try (ClusterRig rig = server == null ? ClusterRig.derby(dir, MAX_INSTANCES, 0)
                : ClusterRig.postgres(dir, server, MAX_INSTANCES, 0)) {
            List<ClusterRig.Node> nodes = new ArrayList<>();
            for (int i = 0; i < runtimes; i++) {
                nodes.add(rig.add("n" + i));
            }
            rig.deploy(nodes.get(0));
            List<String> ids = rig.startInstancesOffline(nodes.get(0), 0, INSTANCES);
            TaskReceiver receiver = rig.receiver;
            // the runtimes start one after the other on a busy machine: their first requests wait until every one
            // is up and holds its instances, then the clock starts
            receiver.hold();
            rig.startAll();
            int early = receiver.count();
            long from = System.nanoTime();
            receiver.release();
            Set<String> expected = keys(ids);
            long end = System.currentTimeMillis() + 300_000;
            while (!seen(receiver.receipts()).containsAll(expected)) {
                if (System.currentTimeMillis() > end) {
                    throw new IllegalStateException("not every task within 5 minutes: " + rig.states());
                }
                Thread.sleep(100);
            }
            List<TaskReceiver.Receipt> receipts = receiver.receipts();
            Set<String> counted = new HashSet<>();
            Set<String> before = new HashSet<>();
            long last = from;
            for (TaskReceiver.Receipt r : receipts.subList(early, receipts.size())) {
                if (expected.contains(r.key()) && counted.add(r.key())) {
                    last = r.at();
                }
            }
            receipts.subList(0, early).forEach(r -> before.add(r.key()));
            counted.removeAll(before); // sent before the clock started (answered after): not counted
            double rate = counted.size() / ((last - from) / 1e9);
            Map<String, Long> share = new LinkedHashMap<>();
            receipts.forEach(r -> share.merge(r.node(), 1L, Long::sum));
            System.out.printf(Locale.ROOT, "%s: %d tasks in %.2f s once all %d runtimes were up (%d requests before), "
                    + "requests by runtime %s%n", dir.getFileName(), counted.size(), (last - from) / 1e9, runtimes,
                    before.size(), share);
            if (!takeover) {
                return new double[] {rate};
            }
            double[] moved = takeover(rig, nodes);
            return new double[] {rate, moved[0], moved[1]};
        }
    }

    /** Kills the first runtime while its instances' tasks are under way. @return first and last takeover (s) */
    private static double[] takeover(ClusterRig rig, List<ClusterRig.Node> nodes) throws Exception {
        TaskReceiver receiver = rig.receiver;
        receiver.delay(1_500); // tasks under way when the kill comes
        ClusterRig.Node victim = nodes.get(0);
        List<String> ids = rig.startInstances(victim, 10_000, 3); // held where started: it has room
        Set<String> pending = new HashSet<>(ids);
        long end = System.currentTimeMillis() + 60_000;
        while (!sentBy(receiver.receipts(), ids, victim.name).containsAll(pending)) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("the first tasks never started on " + victim.name);
            }
            Thread.sleep(20);
        }
        long killed = System.nanoTime();
        rig.kill(victim);
        Map<String, Long> resumed = new HashMap<>();
        end = System.currentTimeMillis() + 120_000;
        while (resumed.size() < ids.size()) {
            for (TaskReceiver.Receipt r : receiver.receipts()) {
                String id = r.key().substring(0, r.key().indexOf('/'));
                if (r.at() > killed && pending.contains(id) && !r.node().equals(victim.name)) {
                    resumed.putIfAbsent(id, r.at() - killed);
                }
            }
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("not taken over within 2 minutes: " + resumed);
            }
            Thread.sleep(20);
        }
        receiver.delay(0);
        double[] seconds = resumed.values().stream().mapToDouble(n -> n / 1e9).sorted().toArray();
        return new double[] {seconds[0], seconds[seconds.length - 1]};
    }

    private static Set<String> sentBy(List<TaskReceiver.Receipt> receipts, List<String> ids, String node) {
        Set<String> sent = new HashSet<>();
        for (TaskReceiver.Receipt r : receipts) {
            String id = r.key().substring(0, r.key().indexOf('/'));
            if (r.node().equals(node) && ids.contains(id)) {
                sent.add(id);
            }
        }
        return sent;
    }

    private static Set<String> keys(List<String> ids) {
        Set<String> keys = new HashSet<>();
        for (String id : ids) {
            for (String task : ClusterRig.taskIds()) {
                keys.add(id + "/" + task);
            }
        }
        return keys;
    }

    private static Set<String> seen(List<TaskReceiver.Receipt> receipts) {
        Set<String> seen = new HashSet<>();
        receipts.forEach(r -> seen.add(r.key()));
        return seen;
    }

    private static String load() throws java.io.IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
