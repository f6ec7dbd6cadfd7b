package io.harmonix.proposals.internal;

import io.harmonix.config.api.Durations;
import io.harmonix.cycle.api.Agent;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStats;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The ledger as a service, and the handler of the validation workflow's tasks: one component, so that the workflow
 * it deploys always finds its handlers. It migrates its tables, deploys the shipped {@code enhancement-validation}
 * (unless another version of that name was deployed: the user's replacement), starts again what a crash left
 * without an instance (both at start, or in exec mode at the first use of the workflow engine), and subscribes to
 * the fleet's events to propose the rollback of an applied enhancement that
 * broke its repository.
 */
@Component(service = {EnhancementLedger.class, TaskHandler.class}, immediate = true,
        configurationPid = LedgerComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {TaskHandler.COMPONENT + "=" + Handlers.COMPONENT,
            TaskHandler.ACTION + "=prepare", TaskHandler.ACTION + "=build", TaskHandler.ACTION + "=tests",
            TaskHandler.ACTION + "=agent", TaskHandler.ACTION + "=benchmark", TaskHandler.ACTION + "=decide"})
@Designate(ocd = LedgerComponent.Config.class)
public class LedgerComponent implements EnhancementLedger, TaskHandler {
    static final String PID = "io.harmonix.proposals";

    @ObjectClassDefinition(name = "Harmonix enhancement proposals")
    @interface Config {
        @AttributeDefinition(description = "Time limit of each build, test and benchmark command of a validation; "
                + "empty for the sandboxed executor's own.")
        String commandTimeout() default "";

        @AttributeDefinition(description = "Deadline of each of the agent's two cycles when it checks a fix.")
        String agentTimeout() default "10m";

        @AttributeDefinition(description = "How much a benchmark figure may grow (0.1: 10 %) before the proposal "
                + "is rejected.")
        double benchmarkTolerance() default 0.1;

        @AttributeDefinition(description = "Keep the branch of a rejected proposal (for inspection) instead of "
                + "deleting it.")
        boolean keepRejectedBranches() default false;

        @AttributeDefinition(description = "Propose the rollback of an applied enhancement when the fleet locates "
                + "it as the commit that broke its repository.")
        boolean autoRollback() default true;
    }

    /** The fleet's events this component listens to. */
    static final String BROKEN_EVENT = FleetBuilds.BROKEN_EVENT;
    static final String UNHEALTHY_EVENT = FleetBuilds.UNHEALTHY_EVENT;

    private final WorkflowService workflows;
    private final Map<Agent, Map<String, Object>> agents = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "harmonix-proposals");
        t.setDaemon(true);
        return t;
    });
    /** Optional and dynamic: SCR sets it to the executor bound, and back to null when it goes. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SandboxExecutor executor;
    private volatile EventService events;
    private volatile Validation.Settings settings;
    private volatile boolean autoRollback;
    private volatile AutoCloseable subscription;
    private final Ledger ledger;
    private final Handlers handlers;
    private final Path home;

    @Activate
    public LedgerComponent(BundleContext context, Config config,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "workflows") WorkflowService workflows) throws SQLException {
        this.workflows = workflows;
        String h = context.getProperty("harmonix.home");
        this.home = Path.of(h == null || h.isBlank() ? "." : h).toAbsolutePath();
        configure(config);
        migrator.migrate(EnhancementStore.COMPONENT, EnhancementStore.MIGRATIONS);
        Proposals parts = Proposals.over(dataSource, () -> this.workflows, () -> executor, this::agent,
                () -> settings, this::publish);
        this.ledger = parts.ledger();
        this.handlers = parts.handlers();
        if (context.getProperty("harmonix.exec") != null) {
            // exec mode: when a command first uses the engine (deploying and resuming read and write the database,
            // which a command that uses neither the engine nor the ledger never boots)
            workflows.atFirstUse(this::start);
        } else {
            background.execute(this::start);
        }
    }

    @Modified
    void configure(Config config) {
        String timeout = config.commandTimeout();
        settings = new Validation.Settings(home.resolve("data/proposals/worktrees"),
                timeout == null || timeout.isBlank() ? null : Durations.parse(timeout),
                Durations.parse(config.agentTimeout()), config.benchmarkTolerance(), config.keepRejectedBranches());
        autoRollback = config.autoRollback();
    }

    private void start() {
        ValidationWorkflow.deploy(workflows, System.err::println);
        ledger.resumeValidations();
    }

    @Deactivate
    void deactivate() throws Exception {
        background.shutdownNow();
        AutoCloseable s = subscription;
        if (s != null) {
            s.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(EventService e) {
        events = e;
        subscription = FleetEvents.subscribe(e, ev -> {
            if (autoRollback) {
                background.execute(() -> ledger.repositoryBroken(FleetEvents.repository(ev), FleetEvents.commit(ev)));
            }
        });
    }

    void unsetEvents(EventService e) throws Exception {
        if (events == e) {
            events = null;
            AutoCloseable s = subscription;
            subscription = null;
            if (s != null) {
                s.close();
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAgent(Agent agent, Map<String, Object> properties) {
        agents.put(agent, Map.copyOf(properties));
    }

    void removeAgent(Agent agent) {
        agents.remove(agent);
    }

    private Optional<Agent> agent(String type, String id) {
        return AgentChoice.choose(agents, type, id);
    }

    private void publish(Enhancement now, EnhancementStatus previous) {
        EventService e = events;
        if (e != null) {
            e.publish("harmonix.proposals", STATUS_EVENT, Long.toString(now.id()), StatusEvents.data(now, previous));
        }
    }

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        return handlers.execute(context);
    }

    @Override
    public Enhancement submit(String waveId, String agentId, Repository repository, Finding finding,
            Proposal proposal) {
        return ledger.submit(waveId, agentId, repository, finding, proposal);
    }

    @Override
    public Optional<Enhancement> enhancement(long id) {
        return ledger.enhancement(id);
    }

    @Override
    public List<Enhancement> enhancements(EnhancementStatus status, String waveId) {
        return ledger.enhancements(status, waveId);
    }

    @Override
    public String validate(long id) {
        return ledger.validate(id);
    }

    @Override
    public Enhancement rollback(long id) {
        return ledger.rollback(id);
    }

    @Override
    public Enhancement markApplied(long id, String commit) {
        return ledger.markApplied(id, commit);
    }

    @Override
    public Enhancement reject(long id, String reason) {
        return ledger.reject(id, reason);
    }

    @Override
    public List<EnhancementStats> stats() {
        return ledger.stats();
    }
}
