package io.harmonix.autonomy.internal.controller;

import io.harmonix.cluster.api.LeaderLease;
import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.AutonomyStatus;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.ChangeRequests;
import io.harmonix.autonomy.api.ControllerRun;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
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
 * The autonomy controller as a service, and the handler of its workflow's tasks: one component, so that the workflow
 * it deploys always finds its handlers. The fleet, the agents' runner, the index, the enhancement ledger and the
 * events are taken when present; without them SENSE says what it could not see. Runs start on the cron schedule,
 * on the event {@value AutonomyController#TRIGGER_EVENT} and by {@code autonomy:run}.
 */
@Component(service = {AutonomyController.class, TaskHandler.class}, immediate = true,
        configurationPid = AutonomyControllerComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {TaskHandler.COMPONENT + "=" + Phases.COMPONENT,
            TaskHandler.ACTION + "=sense", TaskHandler.ACTION + "=think", TaskHandler.ACTION + "=act",
            TaskHandler.ACTION + "=verify", TaskHandler.ACTION + "=ship", TaskHandler.ACTION + "=learn"})
@Designate(ocd = AutonomyControllerComponent.Config.class)
public class AutonomyControllerComponent implements AutonomyController, TaskHandler {
    static final String PID = "io.harmonix.autonomy";

    @ObjectClassDefinition(name = "Harmonix autonomy controller", description = "The break-glass toggles (changed "
            + "live, also by autonomy:toggle), the schedule of controller runs, the automatic quarantine and the "
            + "scoring rules.")
    @interface Config {
        @AttributeDefinition(description = "Master switch: off, a run records its signals and changes nothing.")
        boolean enabled() default true;

        @AttributeDefinition(description = "Off, nothing ships; changes are still opened and verified.")
        boolean automergeEnabled() default true;

        @AttributeDefinition(description = "Shipped changes per day at most, counted from the decision records.")
        int maxChangesPerDay() default 10;

        @AttributeDefinition(description = "On, every change request is a draft that never ships. Lifted only by "
                + "autonomy:quarantine off --reason R when the controller turned it on.")
        boolean quarantineMode() default false;

        @AttributeDefinition(description = "Why quarantine is on.")
        String quarantineReason() default "";

        @AttributeDefinition(description = "The time zone of the daily cap's day.")
        String zone() default "UTC";

        @AttributeDefinition(description = "Cron expression (5 fields, or 6 with seconds first) of scheduled runs; "
                + "empty: none.")
        String schedule() default "0 */6 * * *";

        @AttributeDefinition(description = "Failed verifications or rolled-back changes in a row that turn "
                + "quarantine on; 0: never.")
        int quarantineAfterFailures() default 3;

        @AttributeDefinition(description = "Scoring rules KEY=PRIORITY[/RISK] (see docs/autonomy.md), each "
                + "replacing the default rule of its key; empty: the defaults.")
        String[] scoringRules() default {};

        @AttributeDefinition(description = "Agent types whose scan of each repository's current commit SENSE "
                + "makes sure of, comma-separated.")
        String scanAgents() default "security,quality";

        @AttributeDefinition(description = "How long SENSE waits for one repository's scan.")
        String scanTimeout() default "15m";

        @AttributeDefinition(description = "The window of the fleet's health SENSE reads (a red main).")
        String healthWindow() default "7d";
    }

    private final Controller controller;
    private final Phases phases;
    private final Logger log;
    private final Scheduler scheduler;
    /** Every setting of the file, replaced whole by a valid edit only. */
    private volatile ControllerSettings settings;
    private final Services services = new Services();
    /** Which runtime of the cluster runs the controller, or null: no cluster node, this runtime runs it alone. */
    private volatile LeaderLease leadership;
    /**
     * Exec mode: what the controller does at start (the toggles compared with the last applied, the lease claimed)
     * is done at its first use instead, so that a command that does not use it does not boot the database for it.
     */
    private final boolean execMode;
    /** The cluster node bound, its lease not claimed yet (exec mode, before the controller's first use). */
    private io.harmonix.cluster.api.ClusterNode unclaimed;
    /** Whether what the controller does at start is done (at once in shell and run modes). */
    private volatile boolean started;
    // optional services, read at each use: SENSE notes what is missing instead of failing
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FleetCatalogue catalogue;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FleetBuilds builds;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CheckHistory checks;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EnhancementLedger enhancements;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CycleRunner runner;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CycleIndex index;

    @Activate
    public AutonomyControllerComponent(BundleContext context, Config config,
            @Reference(name = "log", service = LoggerFactory.class) Logger log,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "workflows") WorkflowService workflows,
            @Reference(name = "ledger") BacklogLedger ledger,
            @Reference(name = "changes") ChangeRequests changes,
            @Reference(name = "decisions") DecisionLog decisions) throws SQLException {
        this.log = log;
        ControllerSettings first;
        try {
            first = ControllerSettings.parse(config);
        } catch (IllegalArgumentException e) {
            // the controller stays, with its commands to repair the file; nothing ships by settings nobody chose
            first = ControllerSettings.fallback();
            warn("etc/io.harmonix.autonomy.cfg refused at start:\n" + e.getMessage() + "\nthe controller runs with "
                    + "the defaults and automergeEnabled=false until the file is repaired");
        }
        this.settings = first;
        this.execMode = context.getProperty("harmonix.exec") != null;
        migrator.migrate(RunStore.COMPONENT, RunStore.MIGRATIONS);
        // the data folder the runtime was started with (--data), not the installation's data/
        Path data = io.harmonix.autonomy.internal.ledger.FileBacklogLedger.dataFolder(context);
        this.controller = new Controller(new RunStore(dataSource), workflows, decisions, ledger, changes,
                first.toggles(), services::saveToggles, this::info, services::mask);
        if (!execMode) {
            controller.configured(first.toggles());
            started = true;
        }
        Sense sense = new Sense(new Sense.Sources(
                () -> catalogue == null ? null : catalogue.repositories(),
                () -> builds == null ? null : builds.health(settings.healthWindow()),
                repo -> checks == null ? null : checks.checks(repo, 20).stream()
                        .filter(c -> !c.passed()).toList(),
                () -> services.events == null ? null : services.events.recent(FleetBuilds.BROKEN_EVENT, 200),
                () -> enhancements == null ? null
                        : enhancements.enhancements(EnhancementStatus.VALIDATED),
                new Scans(() -> runner, () -> index, () -> settings.scanTypes(), () -> settings.scanTimeout())));
        Learn learn = new Learn(controller, ledger, changes, () -> enhancements, () -> services.events,
                data.resolve("runs"), () -> settings.quarantineAfterFailures(), services::mask);
        this.phases = new Phases(controller, ledger, changes, sense, () -> settings.rules(), learn);
        this.scheduler = new Scheduler(() -> fire("schedule"), this::warn);
        scheduler.deployThenSchedule(workflows, first.schedule(), execMode);
    }

    /**
     * The controller, after what it does at start: in exec mode that is done here, at its first use (a command, a
     * task of its workflow, a scheduled run), on the thread of that use.
     */
    private Controller controller() {
        if (!started) {
            synchronized (this) {
                if (!started) {
                    controller.configured(settings.toggles());
                    if (unclaimed != null) {
                        leadership = Leadership.of(unclaimed.leases(), unclaimed.nodeId(), this::info).start();
                        unclaimed = null;
                    }
                    started = true;
                }
            }
        }
        return controller;
    }

    /**
     * An edit of {@code etc/io.harmonix.autonomy.cfg} (or a command's change saved there): every value checked first,
     * then all applied; with a bad value nothing changes and the log names each bad field. The controller records a
     * decision for each toggle the edit changed.
     */
    @Modified
    void configure(Config config) {
        ControllerSettings s;
        try {
            s = ControllerSettings.parse(config);
        } catch (IllegalArgumentException e) {
            warn("etc/io.harmonix.autonomy.cfg refused, nothing of it applied, the settings in force stay:\n"
                    + e.getMessage());
            return;
        }
        this.settings = s;
        if (started) {
            controller.configured(s.toggles());
        } // else exec mode before the first use: that use compares these settings' toggles
        scheduler.reschedule(s.schedule());
    }

    /** P-001: a line of this component's log, masked. */
    private void info(String line) {
        log.info(services.mask(line));
    }

    private void warn(String line) {
        log.warn(services.mask(line));
    }

    @Deactivate
    void deactivate() {
        scheduler.close();
        LeaderLease l = leadership;
        if (l != null) {
            l.close(); // the lease expires: another runtime leads within a lease
        }
        services.closeSubscription();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(EventService e) {
        services.subscribe(e, () -> scheduler.submit(() -> fire("event")));
    }

    void unsetEvents(EventService e) {
        services.unsubscribe(e);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAdmin(ConfigurationAdmin a) {
        services.admin = a;
    }

    void unsetAdmin(ConfigurationAdmin a) {
        if (services.admin == a) {
            services.admin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMasker(SecretMasker m) {
        services.maskers.add(m);
    }

    void removeMasker(SecretMasker m) {
        services.maskers.remove(m);
    }

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        try {
            controller();
            return phases.execute(context);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // the engine logs the failure and LEARN writes it in the run document: neither may carry a secret
            throw MaskedFailure.of(e, services::mask);
        }
    }

    /**
     * The cluster node, when the cluster bundle publishes one: the controller then runs only in the runtime that
     * leads ({@link Leadership}). Optional (dynamic, greedy) so that a runtime without a node (none can join: no
     * database) runs the controller alone, as before.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCluster(io.harmonix.cluster.api.ClusterNode node) {
        synchronized (this) {
            if (!started) {
                unclaimed = node; // exec mode: claimed at the controller's first use
                return;
            }
        }
        LeaderLease previous = leadership;
        leadership = Leadership.of(node.leases(), node.nodeId(), this::info).start();
        if (previous != null) {
            previous.close();
        }
    }

    void unsetCluster(io.harmonix.cluster.api.ClusterNode node) {
        synchronized (this) {
            if (unclaimed == node) {
                unclaimed = null;
            }
        }
        LeaderLease l = leadership;
        if (l != null && l.node().equals(node.nodeId()) && l.leases() == node.leases()) {
            leadership = null;
            l.close();
        }
    }

    /** A schedule or event trigger: a run on the leader; a runtime that stands by lets the leader's fire. */
    private void fire(String trigger) {
        controller();
        if (leads()) {
            start(trigger);
        } else {
            info("autonomy: " + trigger + " trigger left to the leader, node " + leader().orElse("(none right now)"));
        }
    }

    @Override
    public ControllerRun start(String trigger) {
        Controller c = controller();
        LeaderLease l = leadership;
        if (l != null && !l.leads()) {
            String leader = l.leader();
            throw new IllegalStateException("autonomy: this runtime (node " + l.node() + ") stands by: "
                    + (leader == null ? "no node leads the controller right now (one takes over within a lease)"
                            : "node " + leader + " leads the controller") + " (lease " + Leadership.KEY
                    + "); start the run there");
        }
        return c.start(trigger);
    }

    @Override
    public Optional<String> leader() {
        controller();
        LeaderLease l = leadership;
        return l == null ? Optional.empty() : Optional.ofNullable(l.leader());
    }

    @Override
    public boolean leads() {
        controller();
        LeaderLease l = leadership;
        return l == null || l.leads();
    }

    @Override
    public Optional<ControllerRun> run(String id) {
        return controller().run(id);
    }

    @Override
    public List<ControllerRun> runs(int limit) {
        return controller().runs(limit);
    }

    @Override
    public ControllerRun await(String id, Duration timeout) throws InterruptedException, TimeoutException {
        return controller().await(id, timeout);
    }

    @Override
    public AutonomyStatus status() {
        return controller().status();
    }

    @Override
    public Toggles toggles() {
        return controller().toggles();
    }

    @Override
    public Toggles toggle(String name, String value, String who) {
        return controller().toggle(name, value, who);
    }

    @Override
    public Toggles quarantine(boolean on, String reason, String who) {
        return controller().quarantine(on, reason, who);
    }

    /** @return when the schedule fires next, or null without a schedule (autonomy:status shows it) */
    Instant nextScheduled() {
        return scheduler.next();
    }
}
