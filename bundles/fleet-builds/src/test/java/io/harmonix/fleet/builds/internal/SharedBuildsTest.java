package io.harmonix.fleet.builds.internal;

import static io.harmonix.fleet.builds.internal.BuildFixture.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.fleet.api.BuildReport;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet build spread over the runtimes of a cluster: three workflow engines, each its own node with its own
 * sandbox, over one real Derby database and one set of real git repositories (the same roots on every node), each
 * engine holding one instance at a time. Each repository is a child instance of the build, run where there is room.
 */
class SharedBuildsTest {
    /** As the workflow's SharedInstancesTest: renewals every 300 ms land within a 2 s lease on a loaded machine. */
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration RENEW = Duration.ofMillis(300);
    private static final Duration CLAIMS = Duration.ofMillis(100);

    /** One runtime of the cluster. */
    private final class Node implements AutoCloseable {
        final String id;
        final ClusterFixture member;
        final TestSandbox sandbox;
        final WorkflowEngine engine;
        final FleetBuildsComponent builds;

        /** The database as this node reaches it: cut when it dies, so that nothing of it is written after. */
        final AtomicBoolean dead = new AtomicBoolean();

        Node(String id) throws Exception {
            this.id = id;
            DataSource reach = reach(db.dataSource(), dead);
            this.member = ClusterFixture.join(reach, db.migrator(), id, LEASE, RENEW);
            this.sandbox = TestSandbox.settings().node(member).open(dir.resolve(id), reach, db.migrator());
            SandboxExecutor executor = recording(id, sandbox.executor());
            CheckHistory history = sandbox.history();
            BuildStore store = new BuildStore(reach, db.migrator());
            this.engine = WorkflowEngine.durable(reach, db.migrator(), member.leases(), 1, CLAIMS, w -> {
                warnings.add(id + ": " + w);
                System.err.println(id + ": " + w);
            });
            RepositoryBuilder builder = new RepositoryBuilder(executor, history, store, () -> SETTINGS,
                    (type, subject, data) -> { });
            engine.addHandler("fleet-build", ctx -> {
                tasks.add(new String[] {ctx.idempotencyKey(), id});
                return builder.execute(ctx);
            }, List.of(WorkflowText.COMPONENT), List.of(WorkflowText.ACTION));
            BuildFixture.subWorkflows(engine);
            this.builds = new FleetBuildsComponent(BuildFixture.catalogueOf(catalogue), engine, history, store,
                    SETTINGS);
        }

        /**
         * Dies as a killed runtime does: from this instant it writes nothing more (its database is cut: in one JVM
         * its threads would otherwise finish what they were doing), then its threads and processes stop.
         */
        void die() {
            dead.set(true);
            close();
        }

        /** Stops: no renewal, no heartbeat, its checks killed with their processes, nothing handed over. */
        @Override
        public void close() {
            engine.close();
            sandbox.close();
            member.close();
        }
    }

    private static final Settings SETTINGS = new Settings(3, 1, Duration.ofMillis(50), 3, Duration.ofDays(7));

    @TempDir
    Path dir;
    private DerbyFixture db;
    private GitRepos repos;
    private final List<Repository> catalogue = Collections.synchronizedList(new ArrayList<>());
    private final List<Node> nodes = new ArrayList<>();
    /** Each check a node's sandbox ran: {repository, node}, in order. */
    private final List<String[]> checks = new CopyOnWriteArrayList<>();
    /** Each run of a repository's task: {idempotency key, node}. */
    private final List<String[]> tasks = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch checkOnA = new CountDownLatch(0);
    private volatile String watched;

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir.resolve("db"));
        repos = new GitRepos(Files.createDirectories(dir.resolve("repos")));
        // three levels; "bad" never builds, so "tool" is not built, and the other branches go on
        repository("core", "sleep 1", "true");
        repository("base", "sleep 1", "true");
        repository("lib", "sleep 1", "true", "core");
        repository("util", "sleep 1", "true", "core", "base");
        repository("bad", "sleep 0.5; echo compile error >&2; exit 2", "true", "base");
        repository("app", "sleep 0.5", "true", "lib", "util");
        repository("tool", "true", "true", "bad");
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(Node::close);
        db.close();
    }

    @Test
    void aBuildIsSpreadOverTheRuntimesAndReportsAsOnOne() throws Exception {
        Node a = node("node-a");
        node("node-b");
        node("node-c");
        BuildReport shared = build(a);
        assertEquals(Set.of("node-a", "node-b", "node-c"), checks.stream().map(c -> c[1]).collect(Collectors
                .toSet()), "each runtime ran some repositories' checks: " + byNode());
        assertDependencyOrder(shared);
        Map<String, Long> runs = tasks.stream().collect(Collectors.groupingBy(t -> t[0], Collectors.counting()));
        assertEquals(6, runs.size(), "one task per repository that ran (tool never starts): " + runs.keySet());
        runs.forEach((key, n) -> assertEquals(1L, n, key + " ran " + n + " times"));
        assertEquals(List.of(), warnings);

        // the same build on one runtime: the same report
        nodes.remove(2).close();
        nodes.remove(1).close();
        checks.clear();
        BuildReport alone = build(a);
        assertEquals(Set.of("node-a"), checks.stream().map(c -> c[1]).collect(Collectors.toSet()));
        assertEquals(shape(alone), shape(shared));
    }

    @Test
    void aRuntimeThatDiesMidCheckLeavesItsRepositoriesToTheOthers() throws Exception {
        Node a = node("node-a");
        Node b = node("node-b");
        node("node-c");
        watched = "node-a";
        checkOnA = new CountDownLatch(1);
        BuildReport started = a.builds.build(List.of(), null, 0, null);
        assertTrue(checkOnA.await(30, TimeUnit.SECONDS), "node-a started a check");
        String cut = checks.stream().filter(c -> c[1].equals("node-a")).findFirst().orElseThrow()[0];
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a.sandbox.history().checks(cut, 5).stream().noneMatch(c -> c.duration() == null)) {
            assertTrue(System.nanoTime() < until, "node-a's check of " + cut + " is running");
            Thread.sleep(10);
        }
        nodes.remove(a);
        a.die(); // with the build's own instance (started there) and the repository whose check it ran
        BuildReport report = b.builds.await(started.instance(), Duration.ofMinutes(2));

        assertEquals("failed", report.state(), report.toString());
        assertEquals(expectedOutcomes(), outcomes(report));
        List<RepositoryOutcome> kept = new BuildStore(db.dataSource(), db.migrator()).outcomes(buildKey(b, report));
        assertEquals(6, kept.size(), "one outcome kept per repository that ran: " + kept);
        assertEquals(6, kept.stream().map(RepositoryOutcome::name).distinct().count());
        // the cut repository's task ran on node-a, then again elsewhere with the same key
        String key = tasks.stream().filter(t -> t[1].equals("node-a")).map(t -> t[0]).findFirst().orElseThrow();
        List<String> ranOn = tasks.stream().filter(t -> t[0].equals(key)).map(t -> t[1]).toList();
        assertEquals(2, ranOn.size(), cut + " (" + key + "): " + ranOn);
        assertEquals("node-a", ranOn.get(0));
        assertNotEquals("node-a", ranOn.get(1));
        // its check cut on node-a is closed, not left running, and is not one of the outcome's checks
        RepositoryOutcome again = outcome(report, cut);
        CheckHistory history = nodes.get(0).sandbox.history();
        List<CheckRecord> all = history.checks(cut, 20);
        CheckRecord dead = all.stream().filter(c -> !again.checks().contains(c.id())).findFirst().orElseThrow(
                () -> new AssertionError("no check of " + cut + " besides the outcome's: " + all));
        assertNotNull(dead.error(), "closed, saying why: " + dead);
        assertTrue(dead.error().startsWith("its runtime died while it ran (closed by node node-"), dead.error());
        assertTrue(again.checks().stream().map(history::check).allMatch(c -> c.orElseThrow().duration() != null));
        assertDependencyOrder(report);
    }

    /** {@code real}, refusing new connections once {@code cut} is set (a runtime whose database is gone for good). */
    private static DataSource reach(DataSource real, AtomicBoolean cut) {
        return (DataSource) Proxy.newProxyInstance(SharedBuildsTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (cut.get() && method.getName().equals("getConnection")) {
                        throw new SQLException("the database is out of reach of this dead runtime");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Node node(String id) throws Exception {
        Node n = new Node(id);
        nodes.add(n);
        return n;
    }

    private void repository(String name, String build, String test, String... dependencies) throws Exception {
        Path repo = repos.create(name, build, test);
        catalogue.add(new Repository(name, repo.toString(), "shell", "sh build.sh", "sh test.sh",
                List.of(dependencies), List.of(), "manifest", null));
    }

    private BuildReport build(Node on) throws Exception {
        BuildReport started = on.builds.build(List.of(), null, 3, null);
        BuildReport report = on.builds.await(started.instance(), Duration.ofMinutes(2));
        assertEquals("failed", report.state(), report.toString());
        assertEquals(expectedOutcomes(), outcomes(report));
        return report;
    }

    private static Map<String, Outcome> expectedOutcomes() {
        return new TreeMap<>(Map.of("core", Outcome.BUILT, "base", Outcome.BUILT, "lib", Outcome.BUILT, "util",
                Outcome.BUILT, "bad", Outcome.FAILED, "app", Outcome.BUILT, "tool", Outcome.NOT_BUILT));
    }

    private static Map<String, Outcome> outcomes(BuildReport report) {
        return report.repositories().stream().collect(Collectors.toMap(RepositoryOutcome::name,
                RepositoryOutcome::outcome, (x, y) -> x, TreeMap::new));
    }

    /** What a report says apart from its instance, times and check ids. */
    private static List<String> shape(BuildReport report) {
        List<String> lines = new ArrayList<>();
        lines.add(report.state() + " " + report.levels() + " parallel " + report.parallel() + " "
                + report.unknownDependencies());
        for (RepositoryOutcome o : report.repositories()) {
            lines.add(o.name() + " " + o.outcome() + " " + o.commit() + " flaky " + o.flaky() + " checks "
                    + o.checks().size() + " " + (o.reason() == null ? "" : o.reason().replaceAll("check \\d+", "check N"))
                    + " " + o.breakingCommit());
        }
        return lines;
    }

    private String buildKey(Node on, BuildReport report) {
        return String.valueOf(on.engine.instance(report.instance()).orElseThrow().input().get("build"));
    }

    /** A dependent's first check started after the last check of each of its dependencies ended. */
    private void assertDependencyOrder(BuildReport report) {
        CheckHistory history = nodes.get(0).sandbox.history();
        for (String[] edge : new String[][] {{"lib", "core"}, {"util", "core"}, {"util", "base"}, {"app", "lib"},
                {"app", "util"}, {"bad", "base"}}) {
            List<CheckRecord> dependent = outcome(report, edge[0]).checks().stream()
                    .map(id -> history.check(id).orElseThrow()).toList();
            List<CheckRecord> dependency = outcome(report, edge[1]).checks().stream()
                    .map(id -> history.check(id).orElseThrow()).toList();
            CheckRecord last = dependency.get(dependency.size() - 1);
            Instant lastEnded = last.startedAt().plus(last.duration());
            assertFalse(dependent.get(0).startedAt().isBefore(lastEnded), edge[0] + " started before " + edge[1]
                    + " had ended");
        }
    }

    private Map<String, List<String>> byNode() {
        return checks.stream().collect(Collectors.groupingBy(c -> c[1], TreeMap::new, Collectors.mapping(c -> c[0],
                Collectors.toList())));
    }

    /** The node's real executor, noting which node ran each check (and telling the test when node-a starts one). */
    private SandboxExecutor recording(String nodeId, SandboxExecutor real) {
        return new SandboxExecutor() {
            @Override
            public CheckRecord execute(io.harmonix.fleet.api.ExecutionRequest request) {
                checks.add(new String[] {request.repository(), nodeId});
                if (nodeId.equals(watched)) {
                    checkOnA.countDown();
                }
                return real.execute(request);
            }

            @Override
            public io.harmonix.fleet.api.Isolation isolation() {
                return real.isolation();
            }
        };
    }
}
