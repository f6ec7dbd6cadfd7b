package io.harmonix.state.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.StateStore;
import io.harmonix.state.api.RunJournal;
import io.harmonix.store.api.SchemaMigrator;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Applies the state schema's migrations on the shared database, then registers the {@link StateStore} and the
 * {@link RunJournal}. Tracks the agents present, whose state versions and migrations apply when states load.
 */
@Component(immediate = true, service = {})
public class StateComponent {
    @Reference
    private DataSource dataSource;

    @Reference
    private SchemaMigrator migrator;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private StateDatabase database;
    private GuardedDataSource guarded;
    private ServiceRegistration<?> registration;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAgent(Agent agent, ServiceReference<Agent> ref) {
        Object id = ref.getProperty(Agent.ID);
        if (id != null) {
            agents.putIfAbsent(id.toString(), agent);
        }
    }

    void removeAgent(Agent agent, ServiceReference<Agent> ref) {
        Object id = ref.getProperty(Agent.ID);
        if (id != null) {
            agents.remove(id.toString(), agent);
        }
    }

    @Activate
    void activate(BundleContext context) throws SQLException {
        var applied = migrator.migrate(StateDatabase.COMPONENT, StateDatabase.MIGRATIONS);
        if (!applied.isEmpty()) {
            log.info("state schema migrated: versions {}", applied);
        }
        guarded = new GuardedDataSource(dataSource);
        database = new StateDatabase(guarded, agents::get);
        registration = context.registerService(new String[] {StateStore.class.getName(), RunJournal.class.getName(),
            StateDatabase.class.getName()}, database, null);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        registration.unregister();
        // let the operations under way finish before the store may shut the database down
        if (!guarded.close(10)) {
            log.warn("state store: operations were still using the database after 10 s");
        }
    }
}
