package io.harmonix.workflow.internal;

import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.shell.api.WorkInFlight;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.workflow.api.Event;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The workflow engine of the runtime, published by DS as {@link WorkflowService} and {@link EventService}: the
 * first is the {@link WorkflowEngine} itself, built by this constructor once the schema is migrated on the store's
 * database (the engine stays plain Java, so that tests build it without a framework; this subclass adds only the
 * wiring), the second delegates to the event hub built beside it. The definitions are loaded from the database.
 * The whiteboard of {@link TaskHandler} services, routed by their component and action properties, binds straight
 * to the engine (DS binds dynamic references only once the component is constructed). Once bound, instances a
 * crash or a stop interrupted go on.
 *
 * <p>The store is chosen by the references' targets ({@code harmonix.store.selected=true}: the store that
 * {@code etc/io.harmonix.store.cfg} chooses); configuration PID
 * {@value #PID} may set {@code dataSource.target} and {@code migrator.target} to choose another.
 */
@Component(service = {WorkflowService.class, EventService.class, WorkInFlight.class}, immediate = true,
        configurationPid = WorkflowComponent.PID)
@org.osgi.service.metatype.annotations.Designate(ocd = WorkflowConfig.class)
public class WorkflowComponent extends WorkflowEngine implements EventService, WorkInFlight {
    static final String PID = "io.harmonix.workflow";

    private final Logger log;
    private final EventHub events;
    /** The hub as its API: the event services delegate to it, nothing of its beyond. */
    private final EventService published;
    private final boolean execMode;

    @Activate
    public WorkflowComponent(BundleContext context, WorkflowConfig config,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "cluster") ClusterNode cluster,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException {
        super(definitionStore(context, dataSource, migrator, log), new InstanceStore(dataSource),
                new InstanceLeases(cluster.leases(), InstanceLeases.alone(cluster), Math.max(0,
                        config.maxInstances()), claimInterval(config, log), m -> log.warn(m)), m -> log.warn(m));
        this.log = log;
        execMode = context.getProperty("harmonix.exec") != null;
        events = new EventHub(dataSource, this::hasTrigger, this::triggered, this::awaitable, window(config, log),
                m -> log.warn(m));
        useEvents(events);
        published = events;
    }

    /**
     * What comes before the engine: the expression limit set, the schema migrated.
     *
     * @return the store of the definitions, on the migrated schema
     */
    private static DefinitionStore definitionStore(BundleContext context, DataSource dataSource,
            SchemaMigrator migrator, Logger log) throws SQLException {
        String limit = context.getProperty(Bound.LIMIT_PROPERTY);
        if (limit != null) {
            // how long an expression without a task timeout may evaluate (a when, an output, a trigger's input)
            Bound.limit(io.harmonix.config.api.Durations.parse(limit));
        }
        var applied = migrator.migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
        if (!applied.isEmpty()) {
            log.info("workflow schema migrated: versions {}", applied);
        }
        return new DefinitionStore(dataSource);
    }

    /** @return the configured claim interval; a wrong value is logged, and the default used instead */
    private static Duration claimInterval(WorkflowConfig config, Logger log) {
        try {
            Duration d = io.harmonix.config.api.Durations.parse(config.claimInterval());
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("'" + config.claimInterval() + "' is not more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            log.warn("{}: claimInterval {}: {}; using 1s", PID, config.claimInterval(), e.getMessage());
            return Duration.ofSeconds(1);
        }
    }

    /** @return the configured event window; a wrong value is logged, and the default used instead */
    private static EventWindow window(WorkflowConfig config, Logger log) {
        try {
            return new EventWindow(io.harmonix.config.api.Durations.parse(config.eventWindow()),
                    config.eventWindowPerKey());
        } catch (IllegalArgumentException e) {
            log.warn("{}: eventWindow {}, eventWindowPerKey {}: {}; using {} and {}", PID, config.eventWindow(),
                    config.eventWindowPerKey(), e.getMessage(), EventWindow.DEFAULT_AGE, EventWindow.DEFAULT_PER_KEY);
            return EventWindow.DEFAULT;
        }
    }

    /** Called once the handlers present are bound: goes on with what a crash or a stop interrupted. */
    @Activate
    void activate() {
        // renewals of what this runtime holds, and (but in exec mode) claims of what no live runtime holds
        claim(execMode);
        if (execMode) {
            // counting them would read them, booting the database for commands that never use the engine
            log.info("workflow engine started: definitions read at their first use, handlers {}",
                    handlers().capabilities());
        } else {
            log.info("workflow engine started: {} definitions, handlers {}", definitions().size(),
                    handlers().capabilities());
        }
        if (!execMode) {
            // run and shell modes go on with the instances a crash or a stop interrupted; exec mode's commands
            // are one-shot (wf:resume ID resumes one there)
            Thread resume = new Thread(() -> {
                List<String> resumed = resumeInterrupted(Duration.ofSeconds(30));
                if (!resumed.isEmpty()) {
                    log.info("workflow instances resumed: {}", resumed);
                }
                events.redispatch(); // events a crash left between stored and dispatched
            }, "harmonix-workflow-resume");
            resume.setDaemon(true);
            resume.start();
        }
    }

    @Deactivate
    void deactivate() {
        events.close();
        close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(TaskHandler handler, ServiceReference<TaskHandler> ref) {
        handlers().add(ref, handler, values(ref.getProperty(TaskHandler.COMPONENT)),
                values(ref.getProperty(TaskHandler.ACTION)));
    }

    void removeHandler(TaskHandler handler, ServiceReference<TaskHandler> ref) {
        handlers().remove(ref);
    }

    private static List<String> values(Object property) {
        List<String> out = new ArrayList<>();
        if (property instanceof String s) {
            out.add(s);
        } else if (property instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (property instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    // ---- WorkInFlight: what exec mode waits for ------------------------------------------------------------

    /**
     * Waits for the events published so far to be dispatched (a trigger starts its instance there), then for the
     * running instances; again while that started more (a task that emits an event another trigger wants).
     */
    @Override
    public List<String> await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!events.awaitDispatched(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                List<String> left = new ArrayList<>(awaitRunning(deadline));
                left.add("events published and not dispatched yet: they are dispatched at the next start in shell "
                        + "or run mode");
                return left;
            }
            List<String> left = awaitRunning(deadline);
            if (!left.isEmpty()) {
                return left;
            }
            if (events.undispatched() == 0) {
                return List.of(); // and the instances that ended published nothing more
            }
        }
    }

    // ---- EventService, delegated --------------------------------------------------------------------------

    @Override
    public Event publish(String source, String type, String subject, Map<String, Object> data) {
        return published.publish(source, type, subject, data);
    }

    @Override
    public AutoCloseable subscribe(String typePattern, String filter, Consumer<Event> consumer) {
        return published.subscribe(typePattern, filter, consumer);
    }

    @Override
    public List<Event> recent(String typePattern, int limit) {
        return published.recent(typePattern, limit);
    }
}
