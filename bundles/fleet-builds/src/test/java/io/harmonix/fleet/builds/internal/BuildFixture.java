package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.BuildReport;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.handlers.internal.WorkflowRunHandler;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fleet build's real parts over a test folder: real git repositories, a real Derby database, the durable workflow
 * engine, the sandboxed executor (and its check history) as its own tests make it, the build task handler routed
 * as the whiteboard routes it, and {@link FleetBuildsComponent}. The catalogue is the list of repositories the test
 * adds (the catalogue's discovery is another bundle's, tested there and in FleetIT). Events go to {@link #events}.
 */
final class BuildFixture implements AutoCloseable {
    /** An event as the handler published it. */
    record Published(String type, String subject, Map<String, Object> data) {
    }

    final Path dir;
    final GitRepos repos;
    final DerbyFixture derby;
    final List<Repository> catalogue = Collections.synchronizedList(new ArrayList<>());
    final List<Published> events = Collections.synchronizedList(new ArrayList<>());
    final SandboxExecutor executor;
    final CheckHistory history;
    final BuildStore store;
    Settings settings;
    WorkflowEngine engine;
    FleetBuildsComponent builds;

    BuildFixture(Path dir, Settings settings) throws Exception {
        this.dir = dir;
        this.settings = settings;
        this.repos = new GitRepos(Files.createDirectories(dir.resolve("repos")));
        this.derby = DerbyFixture.open(dir.resolve("db"));
        TestSandbox sandbox = TestSandbox.settings().open(dir.resolve("home"), derby.dataSource(), derby.migrator());
        this.executor = sandbox.executor();
        this.history = sandbox.history();
        this.store = new BuildStore(derby.dataSource(), derby.migrator());
        start();
    }

    /** Settings for tests: parallel 2, 1 retry 50 ms later, threshold 3, window 7 days. */
    static Settings settings() {
        return new Settings(2, 1, Duration.ofMillis(50), 3, Duration.ofDays(7));
    }

    /** (Re)starts the engine on the same database, as a runtime does after a stop; it resumes what was running. */
    void start() throws Exception {
        engine = WorkflowEngine.durable(derby.dataSource(), derby.migrator(), System.err::println);
        RepositoryBuilder builder = new RepositoryBuilder(executor, history, store, () -> settings,
                (type, subject, data) -> events.add(new Published(type, subject, data)));
        engine.addHandler("fleet-build", builder::execute, List.of(WorkflowText.COMPONENT),
                List.of(WorkflowText.ACTION));
        subWorkflows(engine);
        builds = new FleetBuildsComponent(catalogueOf(catalogue), engine, history, store, settings);
    }

    /** Routes workflow/run to its handler (the workflow-handlers bundle's), as the whiteboard does. */
    static void subWorkflows(WorkflowEngine engine) throws ReflectiveOperationException {
        WorkflowRunHandler run = new WorkflowRunHandler();
        var field = WorkflowRunHandler.class.getDeclaredField("workflows");
        field.setAccessible(true);
        field.set(run, engine); // what DS injects
        engine.addHandler("workflow-run", run, List.of("workflow"), List.of("run"));
    }

    /** Adds a repository with one commit and these scripts; {@code build} null: no build command. */
    Path repository(String name, String build, String test, String... dependencies) throws Exception {
        Path repo = repos.create(name, build == null ? "true" : build, test == null ? "true" : test);
        catalogue.add(new Repository(name, repo.toString(), "shell", build == null ? null : "sh build.sh",
                test == null ? null : "sh test.sh", List.of(dependencies), List.of(), "manifest", null));
        return repo;
    }

    /** Builds and waits for the end (two minutes at most). */
    BuildReport build(List<String> names, String since, int parallel) throws Exception {
        BuildReport started = builds.build(names, since, parallel, null);
        return started.instance() == null ? started : builds.await(started.instance(), Duration.ofMinutes(2));
    }

    BuildReport build() throws Exception {
        return build(List.of(), null, 0);
    }

    static RepositoryOutcome outcome(BuildReport report, String name) {
        return report.repositories().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + report));
    }

    List<Published> events(String type) {
        synchronized (events) {
            return events.stream().filter(e -> e.type().equals(type)).toList();
        }
    }

    /** A catalogue that is the list a test adds to. */
    static FleetCatalogue catalogueOf(List<Repository> catalogue) {
        return new FleetCatalogue() {
            @Override
            public DiscoveryReport discover() {
                throw new UnsupportedOperationException("the test's catalogue is the list it adds to");
            }

            @Override
            public List<Repository> repositories() {
                synchronized (catalogue) {
                    return List.copyOf(catalogue);
                }
            }

            @Override
            public Optional<Repository> repository(String name) {
                return repositories().stream().filter(r -> r.name().equals(name)).findFirst();
            }

            @Override
            public Optional<DiscoveryReport> lastDiscovery() {
                return Optional.empty();
            }
        };
    }

    @Override
    public void close() {
        engine.close();
        derby.close();
    }
}
