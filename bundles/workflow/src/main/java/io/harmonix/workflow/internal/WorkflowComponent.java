package io.harmonix.workflow.internal;

import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Wires the engine: its schema on the shared database, its definitions loaded from there, and the whiteboard of
 * {@link TaskHandler} services routed by their component and action properties.
 */
@Component(immediate = true, service = {})
public class WorkflowComponent {
    @Reference
    private DataSource dataSource;

    @Reference
    private SchemaMigrator migrator;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final ConcurrentLinkedQueue<Consumer<HandlerRegistry>> early = new ConcurrentLinkedQueue<>();
    private volatile WorkflowEngine engine;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<?> eventsRegistration;
    private EventHub events;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(TaskHandler handler, ServiceReference<TaskHandler> ref) {
        List<String> components = values(ref.getProperty(TaskHandler.COMPONENT));
        List<String> actions = values(ref.getProperty(TaskHandler.ACTION));
        Consumer<HandlerRegistry> add = r -> r.add(ref, handler, components, actions);
        WorkflowEngine e = engine;
        if (e == null) {
            early.add(add); // bound before activation: added when the engine exists
        } else {
            add.accept(e.handlers());
        }
    }

    void removeHandler(TaskHandler handler, ServiceReference<TaskHandler> ref) {
        WorkflowEngine e = engine;
        if (e != null) {
            e.handlers().remove(ref);
        } else {
            early.add(r -> r.remove(ref));
        }
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

    @Activate
    void activate(BundleContext context) throws SQLException {
        var applied = migrator.migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
        if (!applied.isEmpty()) {
            log.info("workflow schema migrated: versions {}", applied);
        }
        WorkflowEngine e = new WorkflowEngine(new DefinitionStore(dataSource), new InstanceStore(dataSource),
                m -> log.warn(m));
        engine = e;
        for (Consumer<HandlerRegistry> c; (c = early.poll()) != null; ) {
            c.accept(e.handlers());
        }
        log.info("workflow engine started: {} definitions, handlers {}", e.definitions().size(),
                e.handlers().capabilities());
        events = new EventHub(dataSource, e::hasTrigger, e::triggered, m -> log.warn(m));
        e.useEvents(events);
        registration = context.registerService(WorkflowService.class, e, null);
        eventsRegistration = context.registerService(io.harmonix.workflow.api.EventService.class, events, null);
        if (context.getProperty("harmonix.exec") == null) {
            // run and shell modes go on with the instances a crash or a stop interrupted; exec mode's commands
            // are one-shot (wf:resume ID resumes one there)
            Thread resume = new Thread(() -> {
                List<String> resumed = e.resumeInterrupted(java.time.Duration.ofSeconds(30));
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
        eventsRegistration.unregister();
        registration.unregister();
        events.close();
        engine.close();
    }

}
