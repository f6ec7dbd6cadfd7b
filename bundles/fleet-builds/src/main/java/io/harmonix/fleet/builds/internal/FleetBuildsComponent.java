package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.BuildReport;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryHealth;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.WorkflowService;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link FleetBuilds}: plans a build from the catalogue, keeps the plan, deploys its generated workflow and starts
 * it; reports from the plan, the outcomes the build tasks keep, and the instance. Health is computed from the
 * check records on demand.
 */
@Component(service = FleetBuilds.class, configurationPid = FleetConfig.PID)
public final class FleetBuildsComponent implements FleetBuilds {
    private final FleetCatalogue catalogue;
    private final WorkflowService workflows;
    private final CheckHistory history;
    private final BuildStore store;
    private final Settings settings;

    @Activate
    public FleetBuildsComponent(@Reference FleetCatalogue catalogue, @Reference WorkflowService workflows,
            @Reference CheckHistory history,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            FleetConfig config) throws SQLException {
        this(catalogue, workflows, history, new BuildStore(dataSource, migrator), Settings.of(config));
    }

    FleetBuildsComponent(FleetCatalogue catalogue, WorkflowService workflows, CheckHistory history, BuildStore store,
            Settings settings) {
        this.catalogue = catalogue;
        this.workflows = workflows;
        this.history = history;
        this.store = store;
        this.settings = settings;
    }

    @Override
    public BuildReport build(List<String> names, String affectedSince, int parallel,
            Consumer<BuildReport> progress) {
        String key = UUID.randomUUID().toString();
        List<Repository> repositories = catalogue.repositories();
        Plan plan;
        try {
            plan = new Planner(history).plan(key, Instant.now(), repositories, names == null ? List.of() : names,
                    affectedSince == null || affectedSince.isBlank() ? null : affectedSince,
                    parallel > 0 ? parallel : settings.maxParallel());
        } catch (IOException e) {
            throw new IllegalStateException("repo:build: " + e.getMessage(), e);
        }
        if (plan.built().isEmpty()) {
            return Reports.of(plan, null, List.of(), Instant.now()); // nothing to build: no workflow
        }
        try {
            store.savePlan(plan);
            workflows.deploy(WorkflowText.CHILD + ".yaml", WorkflowText.CHILD_TEXT);
            String yaml = WorkflowText.of(plan);
            var definition = workflows.deploy("fleet-build-" + key + ".yaml", yaml);
            AtomicReference<String> id = new AtomicReference<>();
            InstanceInfo started = workflows.startOnce(key, definition.name(), definition.version(),
                    Map.of("build", key), progress == null ? null : task -> {
                        if (id.get() != null) { // before start returns the id is not known; the first report follows
                            report(id.get()).ifPresent(progress);
                        }
                    });
            id.set(started.id());
            BuildReport report = Reports.of(plan, started, store.outcomes(key), Instant.now());
            if (progress != null) {
                progress.accept(report);
            }
            return report;
        } catch (SQLException | io.harmonix.workflow.api.WorkflowValidationException e) {
            throw new IllegalStateException("repo:build: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<BuildReport> report(String instanceId) {
        Optional<InstanceInfo> instance = workflows.instance(instanceId);
        if (instance.isEmpty() || !WorkflowText.NAME.equals(instance.get().workflow())) {
            return Optional.empty();
        }
        Object key = instance.get().input().get("build");
        try {
            Optional<Plan> plan = store.plan(String.valueOf(key));
            if (plan.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Reports.of(plan.get(), instance.get(), store.outcomes(plan.get().key()),
                    Instant.now()));
        } catch (SQLException e) {
            throw new IllegalStateException("fleet build " + instanceId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BuildReport await(String instanceId, Duration timeout) throws InterruptedException {
        workflows.await(instanceId, timeout);
        return report(instanceId).orElseThrow(() -> new IllegalArgumentException("no fleet build " + instanceId));
    }

    @Override
    public List<RepositoryHealth> health(Duration window) {
        return health(window, catalogue.repositories().stream().map(Repository::name).toList());
    }

    /** Reads the checks of the named repositories only (two queries each), not of the whole catalogue. */
    @Override
    public List<RepositoryHealth> health(Duration window, java.util.Collection<String> names) {
        Instant since = Instant.now().minus(window == null ? settings.healthWindow() : window);
        List<RepositoryHealth> all = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(names)) {
            if (catalogue.repository(name).isEmpty()) {
                continue;
            }
            List<CheckRecord> checks = history.checks(name, Bisection.HISTORY);
            all.add(Health.of(name, checks, since, runs(Health.streak(checks))));
        }
        return all;
    }

    private Map<Long, String> runs(List<CheckRecord> streak) {
        try {
            return store.runs(streak.stream().map(CheckRecord::id).toList());
        } catch (SQLException e) {
            throw new IllegalStateException("fleet builds: cannot read the build steps of the health's streak: "
                    + e.getMessage(), e);
        }
    }

    /** @return the configured default health window */
    Duration healthWindow() {
        return settings.healthWindow();
    }
}
