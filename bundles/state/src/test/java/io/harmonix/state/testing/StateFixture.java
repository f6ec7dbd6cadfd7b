package io.harmonix.state.testing;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.StateStore;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.api.StateAdmin;
import io.harmonix.state.internal.StateDatabase;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * For the tests of the bundles that journal runs or keep agent state (the runner): the state store, run journal
 * and state administration the state bundle publishes, on a real embedded Derby in a folder with the state schema
 * migrated, without a framework. Close it to shut the database down; opening the folder again finds what was
 * committed. Shipped in the state module's test jar (it needs the store's, for {@link DerbyFixture}), so that
 * those tests never construct the state bundle's internal classes themselves.
 */
public final class StateFixture implements AutoCloseable {
    private final DerbyFixture database;
    private final StateDatabase states;

    private StateFixture(DerbyFixture database, StateDatabase states) {
        this.database = database;
        this.states = states;
    }

    /**
     * @param folder where the database goes ({@link DerbyFixture#open})
     * @param agents the agent of an id, or null when none is present: what the state bundle's agent whiteboard
     *     gives, for state versions and migrations
     */
    public static StateFixture open(Path folder, Function<String, Agent> agents) throws SQLException {
        DerbyFixture database = DerbyFixture.open(folder, StateDatabase.COMPONENT, StateDatabase.MIGRATIONS);
        return new StateFixture(database, new StateDatabase(database.dataSource(), agents));
    }

    /**
     * The state store and run journal over a database the test opened itself (another store's, or one reached
     * through a proxy the test controls), the state schema migrated by {@code migrator}. Closing the fixture leaves
     * that database open: the test closes it.
     *
     * @param agents as for {@link #open}
     */
    public static StateFixture over(javax.sql.DataSource dataSource, io.harmonix.store.api.SchemaMigrator migrator,
            Function<String, Agent> agents) throws SQLException {
        migrator.migrate(StateDatabase.COMPONENT, StateDatabase.MIGRATIONS);
        return new StateFixture(null, new StateDatabase(dataSource, agents));
    }

    /**
     * @return the database under the journal: for tests that put other tables beside it (a cluster's leases); null
     *     for a fixture {@link #over} a database of the test's own
     */
    public DerbyFixture database() {
        return database;
    }

    public RunJournal journal() {
        return states;
    }

    public StateStore states() {
        return states;
    }

    public StateAdmin admin() {
        return states;
    }

    @Override
    public void close() {
        states.close();
        if (database != null) {
            database.close();
        }
    }
}
