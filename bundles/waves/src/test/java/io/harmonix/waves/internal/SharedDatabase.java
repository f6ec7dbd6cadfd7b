package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.state.testing.StateFixture;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the tests of runtimes of one cluster sharing waves in one JVM (a field with {@code @RegisterExtension}): before
 * each test, the one real database they share (Derby, or PostgreSQL with the store's test profile) with the run
 * journal and the waves' tables, in the test's folder, and the target repository ({@link WaveFixture#repo}); after
 * it, the runtimes started on it killed unless dead already, and the database closed.
 */
final class SharedDatabase implements BeforeEachCallback, AfterEachCallback {
    /** A runtime of the cluster as a test wires it: what a crash ends. */
    interface Runtime {
        boolean dead();

        /** A crash (kill -9): nothing is told, no lease released. */
        void kill() throws Exception;
    }

    /** Two seconds: a renewal every 300 ms lands within it even beside a build. */
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration RENEW = Duration.ofMillis(300);

    private final Supplier<Path> dir;
    private final List<Runtime> runtimes = new CopyOnWriteArrayList<>();
    private StateFixture db;
    private GitRepo git;

    /** @param dir the test's folder (its {@code @TempDir}, injected before this runs) */
    SharedDatabase(Supplier<Path> dir) {
        this.dir = dir;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        runtimes.clear();
        db = StateFixture.open(dir.get().resolve("state"), id -> null);
        db.database().migrator().migrate(WaveTables.COMPONENT, WaveTables.MIGRATIONS);
        git = WaveFixture.repo(dir.get().resolve("repo"));
    }

    /** @return the shared database: its run journal and its DataSource */
    StateFixture db() {
        return db;
    }

    /** @return the target repository of the waves */
    GitRepo git() {
        return git;
    }

    /** @return the shared database's DataSource */
    DataSource dataSource() {
        return db.database().dataSource();
    }

    /** @return a new node of the cluster: leases of {@link #LEASE}, renewed every {@link #RENEW} */
    ClusterFixture join(String node) throws SQLException {
        return ClusterFixture.join(dataSource(), db.database().migrator(), node, LEASE, RENEW);
    }

    /** Kills {@code runtime} at the close unless it is dead by then. */
    void add(Runtime runtime) {
        runtimes.add(runtime);
    }

    /** Waits until {@code done}, polling every 10 ms, and fails saying {@code what} past {@code within}. */
    static void await(Supplier<String> what, Duration within, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(10);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (Runtime r : runtimes) {
                if (!r.dead()) {
                    r.kill();
                }
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }
}
