package io.harmonix.waves.internal;

import io.harmonix.cluster.api.LeaderLease;
import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.config.api.ConfigValues;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.enhance.api.Target;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunPreparer;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.waves.api.AgentInstance;
import io.harmonix.waves.api.InfiniteRequest;
import io.harmonix.waves.api.InfiniteSeries;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveCoordinator;
import io.harmonix.waves.api.WaveReport;
import io.harmonix.waves.api.WaveRequest;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The wave coordinator of the runtime, published as {@link WaveCoordinator}, as a {@link CycleListener} (the
 * runner's whiteboard brings it the cycles of the waves' runs it drives) and as a {@link RunPreparer} (a wave's run
 * that this runtime takes over from another, claims as offered, or resumes, has its agent instance deployed here
 * first). Every second it acts on the stops of waves requested in any runtime of the cluster, and goes on with a wave
 * its starter left deploying. Its schema is migrated on the store's database; at activation (in exec mode at its
 * first use, and so the watch of stops too: a command that uses no wave does not boot the database) it recovers:
 * waves whose run goes on are kept, the others ended, configurations of waves not running deleted, running
 * infinite-mode series ticking again.
 */
@Component(service = {WaveCoordinator.class, CycleListener.class, RunPreparer.class}, immediate = true,
        configurationPid = WavesComponent.PID)
@Designate(ocd = WavesComponent.Config.class)
public final class WavesComponent implements WaveCoordinator, CycleListener, RunPreparer {
    static final String PID = "io.harmonix.waves";
    private static final String RUNNER_PID = "io.harmonix.runner";
    /** The bundle publishing the cluster node: while it is active, the series wait for the node at start. */
    private static final String CLUSTER_BUNDLE = "io.harmonix.cluster";

    @ObjectClassDefinition(name = "Harmonix wave coordinator")
    @interface Config {
        @AttributeDefinition(description = "How long an instance owns its components without renewing them (each "
                + "cycle renews them); a crashed instance's components come free after it.")
        String leaseTime() default "15m";

        @AttributeDefinition(description = "How long a wave waits for its instances to become agents.")
        String agentWait() default "60s";

        @AttributeDefinition(description = "Each agent's deadline per cycle of a wave (empty: the runner's default).")
        String deadline() default "";

        @AttributeDefinition(description = "The runner's agent pool, which infinite mode leaves a thread of to the "
                + "other runs (0: read from the runner's configuration, 8 when it has none).")
        int runnerPool() default 0;
    }

    /** The ledger of proposals: where a wave's proposals go, and whose record weighs the agent types. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EnhancementLedger ledger;

    /** The fleet: the wave's target's entry there is the repository its proposals are validated in. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FleetCatalogue catalogue;

    private final Coordinator coordinator;
    private final WaveCycles cycles;
    private final InfiniteMode infinite;
    private final java.util.function.Consumer<String> info;
    private volatile LeaderLease leadership;
    /** Exec mode: the recovery runs at the coordinator's first use, and this runtime never leads the series. */
    private final boolean execMode;
    private volatile boolean recovered;
    private final java.util.function.Consumer<String> warn;
    /**
     * Acts on the stops of waves requested in any runtime ({@link Coordinator#actOnStops}); in exec mode started
     * with the recovery, at the first use (null until then).
     */
    private volatile java.util.concurrent.ScheduledExecutorService stops;

    @Activate
    public WavesComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference CycleRunner runner, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) throws SQLException, IOException {
        migrator.migrate(WaveTables.COMPONENT, WaveTables.MIGRATIONS);
        WaveSettings settings = settings(properties, runnerPool(config.runnerPool(), configAdmin));
        RunPace pace = new RunPace();
        this.coordinator = new Coordinator(new WaveStore(dataSource), new ConfigAdminDeployment(configAdmin), runner,
                Load.machine(pace::slowdown), () -> LedgerSink.weights(ledger), settings,
                Target.home(context::getProperty), Clock.systemUTC());
        coordinator.warnings(log::warn);
        this.cycles = new WaveCycles(coordinator, pace, new LedgerSink(() -> ledger, () -> catalogue,
                id -> coordinator.wave(id).map(Wave::target).orElse(null)), log::warn);
        this.infinite = new InfiniteMode(coordinator, log::warn);
        this.info = log::info;
        this.warn = log::warn;
        this.execMode = context.getProperty("harmonix.exec") != null;
        this.recovered = !execMode;
        if (execMode) {
            return; // a command that uses no wave does not boot the database for the recovery: see recovered()
        }
        this.stops = watchStops(coordinator, log::warn);
        infinite.recoverThenResume(log::info, false, () -> java.util.Arrays
                .stream(context.getBundles()).anyMatch(b -> CLUSTER_BUNDLE.equals(b.getSymbolicName())
                        && b.getState() == org.osgi.framework.Bundle.ACTIVE));
    }

    /** The coordinator over parts made elsewhere: the tests', which have no Configuration Admin. */
    WavesComponent(Coordinator coordinator, WaveCycles cycles, InfiniteMode infinite) {
        this.coordinator = coordinator;
        this.cycles = cycles;
        this.infinite = infinite;
        this.info = line -> { };
        this.warn = line -> { };
        this.execMode = false;
        this.recovered = true;
        this.stops = watchStops(coordinator, warn);
    }

    /** Exec mode: the recovery (without resuming anything: exec mode's commands are one-shot), at the first use. */
    private Coordinator recovered() {
        if (!recovered) {
            synchronized (this) {
                if (!recovered) {
                    try {
                        coordinator.recover(false).forEach(line -> info.accept("waves at first use: " + line));
                    } catch (SQLException | IOException | RuntimeException e) {
                        info.accept("waves at first use: recovery failed: " + e);
                    }
                    stops = watchStops(coordinator, warn);
                    recovered = true;
                }
            }
        }
        return coordinator;
    }

    private static java.util.concurrent.ScheduledExecutorService watchStops(Coordinator coordinator,
            java.util.function.Consumer<String> warn) {
        java.util.concurrent.ScheduledExecutorService s = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "harmonix-waves-stops");
                    t.setDaemon(true);
                    return t;
                });
        long every = WaveStops.STOP_POLL.toMillis();
        s.scheduleWithFixedDelay(() -> {
            try {
                coordinator.actOnStops();
                coordinator.continueLeft().forEach(line -> warn.accept("waves: " + line));
            } catch (java.sql.SQLException | java.io.IOException | RuntimeException e) {
                warn.accept("waves: the stops requested or the waves left deploying could not be read: " + e);
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        return s;
    }

    /** @throws IllegalArgumentException naming every wrong property and what was expected */
    static WaveSettings settings(Map<String, ?> properties, int runnerPool) {
        List<String> errors = new ArrayList<>();
        Duration lease = ConfigValues.duration(properties, "leaseTime", WaveSettings.DEFAULTS.leaseTime(), errors);
        Duration wait = ConfigValues.duration(properties, "agentWait", WaveSettings.DEFAULTS.agentWait(), errors);
        Duration deadline = ConfigValues.duration(properties, "deadline", null, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("configuration " + PID + ": " + String.join("; ", errors));
        }
        return new WaveSettings(lease, wait, deadline, runnerPool);
    }

    /** The pool the runner has: configured here, else its own configuration's {@code poolSize}, else its default. */
    private static int runnerPool(int configured, ConfigurationAdmin admin) throws IOException {
        if (configured > 0) {
            return configured;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + RUNNER_PID + ")");
            Object pool = found == null || found[0].getProperties() == null ? null
                    : found[0].getProperties().get("poolSize");
            return pool == null ? WaveSettings.DEFAULTS.runnerPool() : Integer.parseInt(pool.toString().trim());
        } catch (org.osgi.framework.InvalidSyntaxException | NumberFormatException e) {
            return WaveSettings.DEFAULTS.runnerPool();
        }
    }

    /**
     * The cluster node, when the cluster bundle publishes one: the infinite-mode series then tick only in the runtime
     * that leads them ({@link SeriesLeadership}). Optional (dynamic, greedy) so that a runtime without a node (none
     * can join: no database) ticks them alone, as before.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCluster(ClusterNode node) {
        LeaderLease l = SeriesLeadership.of(node.leases(), node.nodeId(), info, infinite::adoptSoon,
                infinite::standBy);
        leadership = l;
        infinite.lead(l);
        if (!execMode) {
            l.start(); // exec mode never leads: it claims no lease, its series tick in the runtime that leads
        }
    }

    void unsetCluster(ClusterNode node) {
        LeaderLease l = leadership;
        if (l != null && l.leases() == node.leases()) { // not a greedy replacement's node, bound before this unbind
            leadership = null;
            infinite.lead(null);
            if (!execMode) {
                infinite.adopt(); // alone again: this runtime ticks the running series
            }
        }
    }

    @Deactivate
    void deactivate() {
        java.util.concurrent.ScheduledExecutorService watching = stops;
        if (watching != null) {
            watching.shutdownNow();
        }
        infinite.close();
    }

    @Override
    public void onEvent(CycleEvent event) {
        cycles.onEvent(event);
    }

    @Override
    public void prepare(String runId) throws SQLException, IOException {
        if (!runId.startsWith(Coordinator.RUN_PREFIX)) {
            return; // not a wave's: in exec mode a cycle:resume of another run must not start the waves' recovery
        }
        recovered().prepare(runId);
    }

    @Override
    public void released(String runId) {
        if (!runId.startsWith(Coordinator.RUN_PREFIX)) {
            return; // not a wave's (see prepare)
        }
        try {
            recovered().released(runId);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("run " + runId + ": its wave's configurations here not deleted: " + e, e);
        }
    }

    @Override
    public Wave start(WaveRequest request) {
        if (request.size() == io.harmonix.waves.api.WaveSize.INFINITE) {
            throw new IllegalArgumentException("an infinite wave comes from infinite mode: startInfinite (wave:infinite)");
        }
        return recovered().start(request, null, 0);
    }

    @Override
    public InfiniteSeries startInfinite(InfiniteRequest request) {
        recovered();
        return infinite.start(request);
    }

    @Override
    public List<InfiniteSeries> series() {
        recovered();
        return infinite.all();
    }

    @Override
    public Wave stop(String waveId) {
        return recovered().stop(waveId);
    }

    @Override
    public InfiniteSeries stopInfinite(String seriesId) {
        recovered();
        return infinite.stop(seriesId);
    }

    @Override
    public List<Wave> waves() {
        return recovered().waves();
    }

    @Override
    public List<Wave> waves(int offset, int limit) {
        WaveCoordinator.checkPage(offset, limit);
        return recovered().waves(offset, limit);
    }

    @Override
    public Optional<Wave> wave(String waveId) {
        return recovered().wave(waveId);
    }

    @Override
    public WaveReport report(String waveId) {
        return recovered().report(waveId);
    }

    @Override
    public List<AgentInstance> activeAgents() {
        return recovered().activeAgents();
    }
}
