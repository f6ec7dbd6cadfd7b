package io.harmonix.fleet.sandbox.internal;

import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.cluster.api.NodeInfo;
import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.Isolation;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 * The sandboxed executor of the runtime, published as {@link SandboxExecutor} and {@link CheckHistory}. At
 * activation it migrates the check table, closes the records and removes the worktrees and cgroups a stopped
 * runtime on the same data folder left (its worktrees under the data folder's {@code fleet/worktrees}, its cgroups
 * named after the data folder: a second runtime of the installation on another data folder is never touched), and
 * probes the strongest isolation that runs {@code true} here (bubblewrap, then unshare, then
 * none; in exec mode at the first check or question about it instead). A new configuration that is right as a whole applies to the next check; a wrong one is logged with every
 * wrong property and changes nothing (at activation it keeps the component from starting: nothing runs with limits
 * nobody chose).
 */
@Component(service = {SandboxExecutor.class, CheckHistory.class, RecordedChecks.class}, immediate = true,
        configurationPid = SandboxSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SandboxComponent.Config.class)
public class SandboxComponent implements SandboxExecutor, RecordedChecks {
    @ObjectClassDefinition(name = "Harmonix fleet sandbox")
    @interface Config {
        @AttributeDefinition(description = "Wall-clock limit of a command whose request names none (10m, 1h).")
        String timeLimit() default "10m";

        @AttributeDefinition(description = "Memory of everything a command starts (512m, 2g); applied where "
                + "cgroup v1 memory is writable.")
        String memoryLimit() default "2g";

        @AttributeDefinition(description = "Processes and threads of everything a command starts (8 or more); "
                + "applied where cgroup v1 pids is writable.")
        int processLimit() default 512;

        @AttributeDefinition(description = "Refuse to run a command when no isolation (bubblewrap, unshare) works.")
        boolean isolationRequired() default true;

        @AttributeDefinition(description = "Output kept per check, head and tail halves (1k to 64m).")
        String logLimit() default "256k";

        @AttributeDefinition(description = "Names of the runtime's environment variables a command also gets, "
                + "comma-separated (PATH, HOME = its scratch folder, LANG and JAVA_HOME are always set).")
        String passEnvironment() default "";

        @AttributeDefinition(description = "Folders a sandboxed command does not see besides the runtime's home "
                + "(an empty tmpfs over each), comma-separated absolute paths; ~ is the runtime user's home.")
        String hiddenPaths() default SandboxSettings.HIDDEN_PATHS;

        @AttributeDefinition(description = "Bytes a check's worktree and scratch folder may hold (the checked-out "
                + "files included) before its command is killed (512m, 10g).")
        String diskLimit() default SandboxSettings.DISK_LIMIT;

        @AttributeDefinition(description = "Folders inside the hidden ones that a sandboxed command sees again, "
                + "read-only (~/.m2/repository for offline Maven builds), comma-separated absolute paths; ~ is the "
                + "runtime user's home. The runtime's home, etc/ and data/ stay hidden even inside one.")
        String readOnlyPaths() default "";
    }

    private final CheckStore store;
    private final Path home;
    private final Path data;
    private final Logger log;
    /** Probed once: at activation, or in exec mode at the first check or question about it. */
    private final Supplier<Isolation> isolation;
    private final boolean root;
    private final Optional<Cgroups> cgroups;
    private volatile SandboxRunner runner;
    private final List<SecretMasker> maskers = new CopyOnWriteArrayList<>();
    /** How long stopping waits for the checks in flight (the making of a worktree is not interruptible). */
    private static final java.time.Duration STOP_LIMIT = java.time.Duration.ofSeconds(30);
    /** The threads of the checks in flight; its monitor guards {@code stopped} too. */
    private final java.util.Set<Thread> inFlight = new java.util.HashSet<>();
    private boolean stopped;
    /** The cluster this runtime is a node of, or null (tests of a runtime on its own). */
    private final ClusterNode cluster;

    @Activate
    public SandboxComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "cluster") ClusterNode cluster,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException, IOException {
        this(SandboxSettings.read(config, properties).orElseThrow(log::error, log::warn),
                home(context.getProperty("harmonix.home")), data(context), dataSource, migrator, cluster, log,
                context.getProperty("harmonix.exec") != null);
    }

    /**
     * The component as DS makes it, with settings already read: for this bundle's tests and, public for that only,
     * {@code io.harmonix.fleet.sandbox.testing.TestSandbox} of its test jar (the package stays private to the bundle).
     */
    public SandboxComponent(SandboxSettings settings, Path home, DataSource dataSource, SchemaMigrator migrator,
            Logger log) throws SQLException, IOException {
        this(settings, home, home.resolve("data"), dataSource, migrator, log);
    }

    /**
     * The component of a runtime whose data folder is {@code data} ({@code bin/harmonix --data DIR}), as DS makes
     * it: public for this bundle's tests and {@code TestSandbox} only.
     */
    public SandboxComponent(SandboxSettings settings, Path home, Path data, DataSource dataSource,
            SchemaMigrator migrator, Logger log) throws SQLException, IOException {
        this(settings, home, data, dataSource, migrator, null, log);
    }

    /**
     * As DS makes it, a node of {@code cluster} (null: a runtime on its own, whose start closes every open record):
     * public for this bundle's tests and {@code TestSandbox} only.
     */
    public SandboxComponent(SandboxSettings settings, Path home, Path data, DataSource dataSource,
            SchemaMigrator migrator, ClusterNode cluster, Logger log) throws SQLException, IOException {
        this(settings, home, data, dataSource, migrator, cluster, log, false);
    }

    /**
     * @param execMode true in exec mode: the records a stopped runtime left open are closed at the first use of the
     *     check records, not at start (a command that runs no check does not boot the database for them)
     */
    SandboxComponent(SandboxSettings settings, Path home, Path data, DataSource dataSource, SchemaMigrator migrator,
            ClusterNode cluster, Logger log, boolean execMode) throws SQLException, IOException {
        this.home = home.toAbsolutePath().normalize();
        this.data = java.nio.file.Files.createDirectories(data.toAbsolutePath().normalize());
        this.log = log;
        this.cluster = cluster;
        this.store = new CheckStore(dataSource, cluster == null ? null : cluster.nodeId());
        migrator.migrate(CheckStore.COMPONENT, CheckStore.MIGRATIONS);
        String stopped = "the runtime stopped while it ran; its processes were killed at the next start";
        int closed = 0;
        if (execMode) {
            store.atFirstUse(() -> warnClosed(store.closeUnfinished(stopped)));
        } else {
            closed = store.closeUnfinished(stopped);
        }
        this.root = "root".equals(System.getProperty("user.name")) || ProcessHandle.current().info().user()
                .map("root"::equals).orElse(false);
        this.cgroups = Cgroups.probe(Cgroups.owner(this.data));
        Path worktrees = SandboxRunner.worktrees(this.data);
        Worktrees.delete(worktrees);
        java.nio.file.Files.createDirectories(worktrees);
        // Probing starts bubblewrap (and unshare when it fails): processes a one-shot command of exec mode that runs
        // no check does not need, so there the probe waits for the first check or question about the isolation.
        this.isolation = memoized(() -> {
            Isolation probed = probe(worktrees);
            log.info("fleet sandbox: isolation {}, limits {}", probed, cgroups.isPresent() ? "by cgroup v1"
                    : "not available (no writable cgroup v1 memory and pids)");
            return probed;
        });
        if (!execMode) {
            isolation.get();
        }
        int leftovers = cgroups.map(c -> c.leftovers().size()).orElse(0);
        if (leftovers > 0) {
            log.warn("fleet sandbox: removed {} cgroup(s) a killed runtime on {} left: {}", leftovers, this.data,
                    cgroups.get().leftovers());
        }
        warnClosed(closed);
        apply(settings);
    }

    private void warnClosed(int closed) {
        if (closed > 0) {
            log.warn("fleet sandbox: {} check(s) were still running when the runtime stopped; closed", closed);
        }
    }

    private static <T> Supplier<T> memoized(Supplier<T> once) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = once.get();
                }
                return value;
            }
        };
    }

    private Isolation probe(Path scratch) {
        for (Isolation candidate : List.of(Isolation.SANDBOX, Isolation.NETWORK_ONLY)) {
            if (Launch.works(candidate, root, scratch)) {
                return candidate;
            }
        }
        return Isolation.NONE;
    }

    /** @return the cgroups of this runtime's checks, when the machine allows them */
    Optional<Cgroups> cgroups() {
        return cgroups;
    }

    /**
     * Kills the checks in flight and waits for their records (each caller's thread is interrupted: the runner's
     * interrupt path kills every process of the check, completes its record and deletes its folder), so that the
     * next activation, which cleans up after a stopped runtime, finds nothing of this one still running.
     */
    @Deactivate
    public void deactivate() {
        synchronized (inFlight) {
            if (stopped) {
                return;
            }
            stopped = true;
            inFlight.forEach(Thread::interrupt);
            long end = System.nanoTime() + STOP_LIMIT.toNanos();
            boolean interrupted = false;
            while (!inFlight.isEmpty() && System.nanoTime() < end) {
                try {
                    inFlight.wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!inFlight.isEmpty()) {
                log.warn("fleet sandbox: {} check(s) did not end within {} of stopping", inFlight.size(),
                        STOP_LIMIT);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        // the cgroup folders went with the last check's groups
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        SandboxSettings.read(config, properties).applyOrReport(this::apply, log::error, log::warn);
    }

    private void apply(SandboxSettings settings) {
        runner = new SandboxRunner(settings, store, home, data, isolation, root, cgroups, masker(), System.getenv());
    }

    /**
     * Every registered masker in turn, as registered when the log is masked. A masker that fails withholds the whole
     * log (the record says which one failed): a log that might hold a secret is not stored.
     */
    UnaryOperator<String> masker() {
        return text -> {
            String out = text;
            for (SecretMasker m : maskers) {
                try {
                    out = java.util.Objects.requireNonNull(m.mask(out), "it answered null");
                } catch (RuntimeException e) {
                    return "[log withheld: the secret masker " + m.getClass().getName() + " failed: "
                            + e.getMessage() + "]";
                }
            }
            return out;
        };
    }

    @Reference(name = "maskers", service = SecretMasker.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeMasker")
    void addMasker(SecretMasker masker) {
        maskers.add(masker);
    }

    void removeMasker(SecretMasker masker) {
        maskers.remove(masker);
    }

    private static Path home(String property) {
        return Path.of(property == null ? "." : property);
    }

    /** The data folder as the launcher gives it ({@code harmonix.data}), else {@code data/} of the home. */
    private static Path data(BundleContext context) {
        String data = context.getProperty("harmonix.data");
        return data == null ? home(context.getProperty("harmonix.home")).resolve("data") : Path.of(data);
    }

    @Override
    public CheckRecord execute(ExecutionRequest request) {
        Thread caller = Thread.currentThread();
        synchronized (inFlight) {
            if (stopped) {
                throw new IllegalStateException("the fleet sandbox is stopped");
            }
            inFlight.add(caller);
        }
        try {
            closeChecksOfDeadNodes();
            return runner.execute(request);
        } finally {
            synchronized (inFlight) {
                inFlight.remove(caller);
                inFlight.notifyAll();
            }
        }
    }

    /**
     * Closes the records that runtimes of the cluster which died left open (their processes died with them): before
     * each check, since the work of a dead runtime is taken over once its leases expire, and then its checks run
     * again here or elsewhere. A node is dead once its heartbeat is older than a lease (ClusterNode).
     */
    private void closeChecksOfDeadNodes() {
        if (cluster == null) {
            return;
        }
        try {
            java.util.Set<String> alive = new java.util.HashSet<>();
            alive.add(cluster.nodeId());
            cluster.nodes().stream().filter(NodeInfo::alive).forEach(n -> alive.add(n.id()));
            int closed = store.closeOfOtherNodes("its runtime died while it ran (closed by node " + cluster.nodeId()
                    + ")", alive);
            if (closed > 0) {
                log.warn("fleet sandbox: closed {} check(s) that runtimes no longer alive left running", closed);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("fleet sandbox: the checks of runtimes no longer alive could not be closed: {}",
                    e.getMessage());
        }
    }

    @Override
    public Isolation isolation() {
        return isolation.get();
    }

    @Override
    public Optional<String> limits(long id) {
        return store.limits(id);
    }

    @Override
    public Optional<CheckRecord> check(long id) {
        return store.check(id);
    }

    @Override
    public List<CheckRecord> checks(String repository, int limit) {
        return store.checks(repository, limit);
    }

    @Override
    public List<CheckRecord> checksOf(String repository, String commit) {
        return store.checksOf(repository, commit);
    }
}
