package io.harmonix.itests;

import io.harmonix.store.postgresql.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Packaged runtimes sharing one database, as a user sets them up (docs/architecture.md, Cluster: "Adding a node"):
 * each a copy of the distribution with the PostgreSQL store in {@code etc/io.harmonix.store.cfg} (or Derby alone),
 * its own data folder (so its own node id), the cluster's and the workflow engine's settings in {@code etc/}, run
 * with {@code bin/harmonix run}; and the workflow they share, whose ten tasks are {@code http/request} POSTs to a
 * {@link TaskReceiver}. Used by ClusterIT and by the scale-out benchmark. Everything it starts stops at
 * {@link #close()}.
 */
public final class ClusterRig implements AutoCloseable {
    /** Tasks of one instance of {@link #workflow()}: first, p1 to p8 in parallel, last. */
    public static final int TASKS = 10;
    public static final String LEASE = "4s";

    /** One runtime: its installation copy, its process once started, its node id once it ran. */
    public static final class Node {
        public final String name;
        final PackagedRuntime runtime;
        Process process;
        String nodeId;

        Node(String name, PackagedRuntime runtime) {
            this.name = name;
            this.runtime = runtime;
        }

        public String nodeId() {
            return nodeId;
        }

        public long pid() {
            return process.pid();
        }
    }

    private final Path dir;
    private final PostgresServer server;
    private final String database;
    public final TaskReceiver receiver;
    private final List<Node> nodes = new ArrayList<>();
    private final int maxInstances;
    private final Path definition;

    private ClusterRig(Path dir, PostgresServer server, int maxInstances, long taskMillis) throws IOException,
            SQLException {
        this.dir = dir;
        this.server = server;
        this.database = server == null ? null : server.createDatabase();
        this.receiver = new TaskReceiver(taskMillis);
        this.maxInstances = maxInstances;
        this.definition = Files.writeString(dir.resolve("spread.yaml"), workflow());
    }

    /**
     * Runtimes on a new database of {@code server}, each holding at most {@code maxInstances} instances, whose
     * tasks' requests take {@code taskMillis} to be answered.
     */
    public static ClusterRig postgres(Path dir, PostgresServer server, int maxInstances, long taskMillis)
            throws IOException, SQLException {
        return new ClusterRig(dir, server, maxInstances, taskMillis);
    }

    /** One runtime on its own embedded Derby (call {@link #add} once). */
    public static ClusterRig derby(Path dir, int maxInstances, long taskMillis) throws IOException, SQLException {
        return new ClusterRig(dir, null, maxInstances, taskMillis);
    }

    /**
     * The workflow: {@code first} posts {@code [i]}, p1..p8 each post {@code [first.v, K]}, {@code last} posts the
     * eight results; the receiver answers the sum plus one, so an instance's outputs are {@link #expected}.
     */
    static String workflow() {
        StringBuilder y = new StringBuilder("""
                name: spread
                version: 1
                input:
                  i: {type: integer}
                  url: {type: string}
                parallelism: 8
                tasks:
                  first:
                    component: http
                    action: request
                    input: {url: "${input.url}", method: POST, body: {n: ["${input.i}"]}}
                """);
        StringBuilder last = new StringBuilder();
        for (int k = 1; k <= TASKS - 2; k++) {
            y.append("""
                      p%1$d:
                        component: http
                        action: request
                        input: {url: "${input.url}", method: POST, body: {n: ["${tasks.first.output.json.v}", %1$d]}}
                        depends_on: [first]
                    """.formatted(k));
            last.append(k == 1 ? "" : ", ").append("\"${tasks.p").append(k).append(".output.json.v}\"");
        }
        y.append("""
                  last:
                    component: http
                    action: request
                    input: {url: "${input.url}", method: POST, body: {n: [%s]}}
                    depends_on: [%s]
                output:
                  first: ${tasks.first.output.json.v}
                  total: ${tasks.last.output.json.v}
                """.formatted(last, last.toString().replaceAll("\"\\$\\{tasks\\.(p\\d)\\.output\\.json\\.v}\"", "$1")));
        return y.toString();
    }

    /** The outputs of an instance of input {@code i}, computed here from the receiver's rule (sum plus one). */
    public static Map<String, Long> expected(long i) {
        long first = i + 1;
        long total = 1;
        for (int k = 1; k <= TASKS - 2; k++) {
            total += first + k + 1;
        }
        return Map.of("first", first, "total", total);
    }

    /** The task ids of the workflow, for the idempotency keys {@code ID/TASK}. */
    public static List<String> taskIds() {
        List<String> ids = new ArrayList<>(List.of("first"));
        for (int k = 1; k <= TASKS - 2; k++) {
            ids.add("p" + k);
        }
        ids.add("last");
        return ids;
    }

    /**
     * A copy of the distribution for one runtime, configured; it reaches the database at {@code databasePort}
     * (the server's, or a proxy's in front of it).
     */
    public Node add(String name, int databasePort) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        PackagedRuntime runtime = PackagedRuntime.copyInto(home);
        Path etc = runtime.home.resolve("etc");
        Path props = etc.resolve("harmonix.properties");
        // only what the test needs: fewer bundles to start on a shared 2-core machine, no HTTP port to share
        String features = "harmonix-core,harmonix-workflow" + (server == null ? "" : ",harmonix-store-postgresql");
        Files.writeString(props, Files.readString(props).replaceFirst("(?m)^harmonix.features = .*$",
                "harmonix.features = " + features));
        if (server != null) {
            Path secret = etc.resolve("store.password");
            Files.copy(server.passwordFile(), secret, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(etc.resolve("io.harmonix.store.cfg"), "provider = postgresql\nurl = "
                    + "jdbc:postgresql://127.0.0.1:" + databasePort + "/" + database + "\nuser = "
                    + PostgresServer.USER + "\n");
        }
        // short leases so that the work of a dead runtime moves within seconds; renewals every second
        Files.writeString(etc.resolve("io.harmonix.cluster.cfg"), "leaseDuration = " + LEASE + "\nrenewInterval = 1s\n");
        Files.writeString(etc.resolve("io.harmonix.workflow.cfg"), "maxInstances = " + maxInstances
                + "\nclaimInterval = 250ms\n");
        Node node = new Node(name, runtime);
        nodes.add(node);
        return node;
    }

    public Node add(String name) throws IOException {
        return add(name, server == null ? 0 : server.port());
    }

    /** Deploys the workflow into the shared database through {@code node}'s exec mode, before the runtimes start. */
    public void deploy(Node node) throws IOException, InterruptedException {
        PackagedRuntime.Result r = node.runtime.exec("wf:deploy " + definition);
        if (r.exit() != 0) {
            throw new AssertionError("wf:deploy on " + node.name + ": " + r);
        }
    }

    /** Sets {@code maxInstances} in {@code node}'s {@code etc/io.harmonix.workflow.cfg}. */
    public void maxInstances(Node node, int max) throws IOException {
        Files.writeString(node.runtime.home.resolve("etc/io.harmonix.workflow.cfg"), "maxInstances = " + max
                + "\nclaimInterval = 250ms\n");
    }

    /**
     * Starts {@code count} instances through {@code node}'s exec mode, before the runtimes run (exec mode takes no
     * one else's work, and with {@code maxInstances} 1 it holds one and offers the rest); their ids.
     */
    public List<String> startInstancesOffline(Node node, int from, int count) throws IOException,
            InterruptedException {
        maxInstances(node, 1);
        StringBuilder script = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            script.append("wf:run spread i=").append(i).append(" url=").append(receiver.url()).append(" --detach; ");
        }
        PackagedRuntime.Result r = node.runtime.exec(script.toString());
        maxInstances(node, maxInstances);
        return ids(r, node, count);
    }

    /** Starts every runtime added ({@code bin/harmonix run}) and waits until each answers a client. */
    public void startAll() throws IOException, InterruptedException {
        List<PackagedRuntime.Output> outputs = new ArrayList<>();
        for (Node n : nodes) {
            if (n.process != null && n.process.isAlive()) {
                throw new IllegalStateException("runtime " + n.name + " runs already");
            }
            n.process = n.runtime.start(n.runtime.home, "run");
            receiver.sender(n.pid(), n.name); // before it sends anything: a connection is named when it opens
            outputs.add(new PackagedRuntime.Output(n.process.getInputStream()));
            new PackagedRuntime.Output(n.process.getErrorStream());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            outputs.get(i).await("Harmonix running"); // the client is refused while the runtime starts
            PackagedRuntime.Result r = client(n, "cluster:nodes");
            if (r.exit() != 0) {
                throw new AssertionError("runtime " + n.name + " did not answer: " + r);
            }
            n.nodeId = Files.readString(n.runtime.home.resolve("data/node-id")).strip();
        }
    }

    /** Runs a script in {@code node}'s running runtime through {@code bin/harmonix client}. */
    public PackagedRuntime.Result client(Node node, String script) throws IOException, InterruptedException {
        return node.runtime.run(node.runtime.home, Duration.ofMinutes(3), "client", script);
    }

    /** Starts {@code count} instances with inputs {@code from..from+count-1} on {@code node}; their ids. */
    public List<String> startInstances(Node node, int from, int count) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            script.append("wf:run spread i=").append(i).append(" url=").append(receiver.url()).append(" --detach\n");
        }
        return ids(client(node, script.toString()), node, count);
    }

    private static List<String> ids(PackagedRuntime.Result r, Node node, int count) {
        if (r.exit() != 0) {
            throw new AssertionError("wf:run on " + node.name + ": " + r);
        }
        List<String> ids = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("wf-")) {
                ids.add(line.strip());
            }
        }
        if (ids.size() != count) {
            throw new AssertionError(count + " instances started on " + node.name + " expected: " + r);
        }
        return ids;
    }

    /** kill -9 of the runtime's whole process tree. */
    public void kill(Node node) throws InterruptedException {
        if (node.process == null) {
            return;
        }
        List<ProcessHandle> tree = node.process.descendants().toList();
        node.process.destroyForcibly(); // SIGKILL
        tree.forEach(ProcessHandle::destroyForcibly);
        if (!node.process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("runtime " + node.name + " still runs 30 s after SIGKILL");
        }
    }

    /** A connection to the shared database (PostgreSQL only). */
    public Connection connect() throws SQLException {
        if (server == null) {
            throw new IllegalStateException("embedded Derby: only its runtime reads it (wf:instances)");
        }
        return server.connect(database);
    }

    /** Instances by state, read from the database. */
    public Map<String, Long> states() throws SQLException {
        Map<String, Long> states = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT STATE, COUNT(*) FROM WF_INSTANCE GROUP BY STATE")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getLong(2));
            }
        }
        return states;
    }

    /** Waits until {@code count} instances have succeeded; false after {@code limit}. */
    public boolean awaitSucceeded(int count, Duration limit) throws SQLException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (states().getOrDefault("SUCCEEDED", 0L) >= count) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Node n : nodes) {
            kill(n);
        }
        receiver.close();
    }
}
