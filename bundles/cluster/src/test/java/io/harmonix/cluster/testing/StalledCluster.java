package io.harmonix.cluster.testing;

import io.harmonix.store.postgresql.internal.PostgresDatabase;
import io.harmonix.store.postgresql.internal.PostgresMigrations;
import io.harmonix.store.postgresql.testing.PostgresServer;
import io.harmonix.store.postgresql.testing.StallingProxy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Two nodes of one cluster on one real PostgreSQL server, for the tests of a network that drops packets: node X
 * reaches the database through a {@link StallingProxy} ({@link #stall}: connections stay open, nothing goes through,
 * nobody is told), node Y directly. Both with a lease of {@link #LEASE}, renewed every {@link #RENEW}, and the
 * {@link #TIMEOUTS} below, so that only a lease deadline, not a failed renewal, can stop X's work within a lease.
 * Close it after the engines that use it (and {@link #restore} the network before closing them: X's threads hanging
 * on the stalled sockets end first).
 */
public final class StalledCluster implements AutoCloseable {
    public static final Duration LEASE = Duration.ofSeconds(2);
    public static final Duration RENEW = Duration.ofMillis(300);
    /**
     * The socket timeout: four times the lease, so that only the deadline, not a failed renewal, can stop X's work
     * within the bound asserted; the server ends a session stalled in its transaction after a lease (a renewal or a
     * write cut before its commit keeps rows locked, and Y would wait on them).
     */
    private static final String TIMEOUTS = "?socketTimeout=8&options=-c%20idle_in_transaction_session_timeout%3D2000";

    private final PostgresServer server;
    private final StallingProxy proxy;
    private final PostgresDatabase xDb;
    private final PostgresDatabase yDb;
    private final ClusterFixture x;
    private final ClusterFixture y;

    private StalledCluster(PostgresServer server, StallingProxy proxy, PostgresDatabase xDb, PostgresDatabase yDb,
            ClusterFixture x, ClusterFixture y) {
        this.server = server;
        this.proxy = proxy;
        this.xDb = xDb;
        this.yDb = yDb;
        this.x = x;
        this.y = y;
    }

    /** Starts a PostgreSQL server in {@code dir}, a database on it, and the nodes {@code node-x} and {@code node-y}. */
    public static StalledCluster start(Path dir) throws Exception {
        PostgresServer server = PostgresServer.start(dir);
        StallingProxy proxy = null;
        PostgresDatabase xDb = null;
        PostgresDatabase yDb = null;
        ClusterFixture x = null;
        try {
            proxy = new StallingProxy(server.port());
            String name = server.createDatabase();
            xDb = new PostgresDatabase("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + name + TIMEOUTS,
                    PostgresServer.USER, server.passwordFile(), 8, Duration.ofSeconds(5));
            yDb = new PostgresDatabase(server.url(name) + TIMEOUTS, PostgresServer.USER, server.passwordFile(), 8,
                    Duration.ofSeconds(5));
            x = ClusterFixture.join(xDb.dataSource(), migrator(xDb), "node-x", LEASE, RENEW);
            ClusterFixture y = ClusterFixture.join(yDb.dataSource(), migrator(yDb), "node-y", LEASE, RENEW);
            return new StalledCluster(server, proxy, xDb, yDb, x, y);
        } catch (Exception | Error e) {
            closeAll(x, yDb, xDb, proxy, server);
            throw e;
        }
    }

    /** @return the schema migrator of {@code db} (each engine migrates its own tables on it) */
    public static PostgresMigrations migrator(PostgresDatabase db) {
        return new PostgresMigrations(db.dataSource());
    }

    /** @return node X, behind the proxy */
    public ClusterFixture x() {
        return x;
    }

    /** @return node Y, on a direct connection */
    public ClusterFixture y() {
        return y;
    }

    /** @return X's database, behind the proxy */
    public PostgresDatabase xDb() {
        return xDb;
    }

    /** @return Y's database */
    public PostgresDatabase yDb() {
        return yDb;
    }

    /** From now on X's packets are dropped, both ways. */
    public void stall() {
        proxy.stall();
    }

    /** X's network is back: what was held up goes through, or is refused. */
    public void restore() {
        proxy.restore();
    }

    @Override
    public void close() throws Exception {
        proxy.restore();
        closeAll(x, y, xDb, yDb, proxy, server);
    }

    private static void closeAll(AutoCloseable... all) throws Exception {
        Exception first = null;
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
