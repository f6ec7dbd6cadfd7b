package io.harmonix.state.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.StateMigrationException;
import io.harmonix.cycle.api.StateStore;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.api.RunRecord;
import io.harmonix.state.api.StateAdmin;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The state store, the run journal and the state administration of the runtime, published by DS over one
 * {@link StateDatabase} that this component builds on the store's DataSource once the state schema is migrated.
 * The services delegate to it; DS withdraws all three before {@link #deactivate} lets go of the database.
 * Tracks the agents present, whose state versions and migrations apply when states load.
 *
 * <p>The store is chosen by the references' targets ({@code harmonix.store.selected=true}: the store that
 * {@code etc/io.harmonix.store.cfg} chooses); configuration PID
 * {@value #PID} may set {@code dataSource.target} and {@code migrator.target} to choose another.
 */
@Component(service = {StateStore.class, RunJournal.class, StateAdmin.class}, immediate = true,
        configurationPid = StateComponent.PID)
public class StateComponent implements StateStore, RunJournal, StateAdmin {
    static final String PID = "io.harmonix.state";

    private final Logger log;
    private final AgentsById<Agent> agents = new AgentsById<>();
    private final GuardedDataSource guarded;
    private final StateDatabase database;

    @Activate
    public StateComponent(
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException {
        this.log = log;
        var applied = migrator.migrate(StateDatabase.COMPONENT, StateDatabase.MIGRATIONS);
        if (!applied.isEmpty()) {
            log.info("state schema migrated: versions {}", applied);
        }
        guarded = new GuardedDataSource(dataSource);
        database = new StateDatabase(guarded, agents::get);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAgent(Agent agent, Map<String, Object> properties) {
        agents.add(agent, properties);
    }

    void removeAgent(Agent agent, Map<String, Object> properties) {
        agents.remove(properties);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        // let the operations under way finish before the store may shut the database down: the checkpoints'
        // connection first (it stays open between commits), then every other
        database.close();
        if (!guarded.close(10)) {
            log.warn("state store: operations were still using the database after 10 s");
        }
    }

    // ---- StateStore ---------------------------------------------------------------------------------------

    @Override
    public void saveState(String agentId, String runId, long cycle, JsonNode payload) throws IOException {
        database.saveState(agentId, runId, cycle, payload);
    }

    @Override
    public Optional<StoredState> loadState(String agentId, String runId, long cycle) throws IOException {
        return database.loadState(agentId, runId, cycle);
    }

    @Override
    public Optional<StoredState> latest(String agentId, String runId) throws IOException {
        return database.latest(agentId, runId);
    }

    @Override
    public List<StoredState> history(String agentId, String runId, int offset, int limit) throws IOException {
        return database.history(agentId, runId, offset, limit);
    }

    @Override
    public int deleteRun(String runId) throws IOException {
        return database.deleteRun(runId);
    }

    // ---- RunJournal ---------------------------------------------------------------------------------------

    @Override
    public RunRecord createRun(String runId, JsonNode definition, long startCycle, String forkedFrom)
            throws IOException {
        return database.createRun(runId, definition, startCycle, forkedFrom);
    }

    @Override
    public void checkpoint(CycleSnapshot snapshot, List<AgentCheckpoint> states) throws IOException {
        database.checkpoint(snapshot, states);
    }

    @Override
    public void setState(String runId, String state, String message) throws IOException {
        database.setState(runId, state, message);
    }

    @Override
    public Optional<RunRecord> run(String runId) throws IOException {
        return database.run(runId);
    }

    @Override
    public List<RunRecord> runs() throws IOException {
        return database.runs();
    }

    @Override
    public List<CycleSnapshot> cycles(String runId, long afterCycle, int limit) throws IOException {
        return database.cycles(runId, afterCycle, limit);
    }

    @Override
    public Map<String, StoredState> statesAt(String runId, long cycle) throws IOException {
        return database.statesAt(runId, cycle);
    }

    // ---- StateAdmin ---------------------------------------------------------------------------------------

    @Override
    public List<StoredState> allRaw() throws IOException {
        return database.allRaw();
    }

    @Override
    public StoredState migrated(StoredState state) throws StateMigrationException {
        return database.migrated(state);
    }

    @Override
    public void rewrite(List<StoredState> states) throws IOException {
        database.rewrite(states);
    }
}
