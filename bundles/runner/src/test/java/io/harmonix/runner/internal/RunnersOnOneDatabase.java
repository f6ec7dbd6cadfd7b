package io.harmonix.runner.internal;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.cycle.api.Agent;
import io.harmonix.state.testing.StateFixture;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the tests of runners that share runs by lease (a field with {@code @RegisterExtension}): before each test, one
 * real database (Derby, or PostgreSQL with the store's test profile) with the run journal and the agents' states in
 * the test's folder; the nodes of the cluster and the runners made on it; after the test, the runners closed, then
 * the nodes, then the database.
 */
public final class RunnersOnOneDatabase implements BeforeEachCallback, AfterEachCallback {
    /** Two seconds, renewed every 300 ms: see the workflow bundle's SharedInstancesTest for why not one. */
    public static final Duration LEASE = Duration.ofSeconds(2);
    public static final Duration RENEW = Duration.ofMillis(300);

    private final Supplier<Path> dir;
    private final Function<String, Agent> agents;
    private final List<ClusterFixture> nodes = new CopyOnWriteArrayList<>();
    private final List<RunEngine> engines = new CopyOnWriteArrayList<>();
    private StateFixture db;

    /**
     * @param dir the test's folder (its {@code @TempDir}, injected before this runs)
     * @param agents the agents by id whose state migrations the state store knows
     */
    public RunnersOnOneDatabase(Supplier<Path> dir, Function<String, Agent> agents) {
        this.dir = dir;
        this.agents = agents;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        nodes.clear();
        engines.clear();
        db = StateFixture.open(dir.get(), agents);
    }

    /** @return the database: its run journal, the agents' states and its DataSource */
    public StateFixture db() {
        return db;
    }

    /** @return the nodes joined, in order (a test closes one to kill it: its leases stay and expire) */
    public List<ClusterFixture> nodes() {
        return nodes;
    }

    /** @return the runners made, in order; closed after the test unless a test takes one out */
    public List<RunEngine> engines() {
        return engines;
    }

    /** @return a new node of the cluster: leases of {@link #LEASE}, renewed every {@link #RENEW} */
    public ClusterFixture join(String node) throws SQLException {
        ClusterFixture member = ClusterFixture.join(db.database().dataSource(), db.database().migrator(), node, LEASE,
                RENEW);
        nodes.add(member);
        return member;
    }

    /** @return a new durable runner with {@code settings}, its journal the database's; not yet sharing its runs */
    public RunEngine runner(RunnerSettings settings) {
        return runner(settings, RunnerLog.console());
    }

    /** @return as {@link #runner(RunnerSettings)}, telling {@code log} */
    public RunEngine runner(RunnerSettings settings, RunnerLog log) {
        JournalGate gate = new JournalGate();
        gate.set(db.journal());
        RunEngine e = new RunEngine(settings, log, gate);
        engines.add(e);
        return e;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (RunEngine e : engines) {
                e.close(Duration.ofSeconds(5));
            }
            nodes.forEach(ClusterFixture::close);
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }
}
