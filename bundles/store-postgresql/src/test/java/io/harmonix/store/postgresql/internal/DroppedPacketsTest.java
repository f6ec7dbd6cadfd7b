package io.harmonix.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.postgresql.testing.PostgresServer;
import io.harmonix.store.postgresql.testing.StallingProxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime whose network to PostgreSQL drops packets (a {@link StallingProxy}: connections stay open, nothing goes
 * through): its calls fail after the socket timeout instead of hanging, and the server ends its session idle in a
 * transaction after {@code idle_in_transaction_session_timeout}, freeing the row locks it held, so that another
 * runtime's write of those rows (a claim of its leases) goes on. Real server, real sockets.
 */
class DroppedPacketsTest {
    @TempDir
    static Path serverDir;

    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static PostgresDatabase open(String url) throws SQLException {
        return new PostgresDatabase(url, PostgresServer.USER, server.passwordFile(), 2, Duration.ofSeconds(5));
    }

    @Test
    void everySessionHasTheDefaultTimeoutsSizedFromTheDefaultLease() throws Exception {
        try (PostgresDatabase db = open(server.url(server.createDatabase()));
                Connection c = db.dataSource().getConnection()) {
            Connection physical = (Connection) c.unwrap(org.postgresql.PGConnection.class);
            assertEquals(PostgresDatabase.SOCKET_TIMEOUT.toMillis(), physical.getNetworkTimeout(),
                    "socket timeout, ms");
            assertEquals("30s", show(c, "idle_in_transaction_session_timeout"));
        }
    }

    @Test
    void aCallOnAStalledConnectionFailsAfterTheSocketTimeoutRatherThanHanging() throws Exception {
        String name = server.createDatabase();
        try (StallingProxy proxy = new StallingProxy(server.port());
                PostgresDatabase db = open("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + name
                        + "?socketTimeout=2");
                Connection c = db.dataSource().getConnection()) {
            assertEquals("1", show(c, "server_version_num").substring(0, 1), "through the proxy before the stall");
            proxy.stall();
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> show(c, "server_version_num"));
            double took = (System.nanoTime() - start) / 1e9;
            assertTrue(took >= 1.9 && took < 10, "failed after " + took + " s, the socket timeout being 2 s: " + e);
        }
    }

    @Test
    void theServerEndsASessionStalledInItsTransactionAndAnotherWriterOfItsRowsGoesOn() throws Exception {
        String name = server.createDatabase();
        try (Connection setup = server.connect(name); Statement s = setup.createStatement()) {
            s.execute("CREATE TABLE LEASE (K VARCHAR(20) PRIMARY KEY, OWNER VARCHAR(20))");
            s.execute("INSERT INTO LEASE VALUES ('wf:1', 'stalled')");
        }
        try (StallingProxy proxy = new StallingProxy(server.port());
                PostgresDatabase stalled = open("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + name
                        + "?options=-c%20idle_in_transaction_session_timeout%3D1500");
                PostgresDatabase other = open(server.url(name))) {
            Connection c = stalled.dataSource().getConnection();
            assertEquals("1500ms", show(c, "idle_in_transaction_session_timeout"), "the URL's options win");
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE LEASE SET OWNER = 'stalled' WHERE K = 'wf:1'"); // the row is locked now
            }
            proxy.stall(); // before its commit: the server sees a session idle in its transaction

            long start = System.nanoTime();
            try (Connection o = other.dataSource().getConnection(); Statement s = o.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE LEASE SET OWNER = 'other' WHERE K = 'wf:1'"));
            }
            double took = (System.nanoTime() - start) / 1e9;
            assertTrue(took >= 1.0 && took < 10, "the other writer waited " + took + " s for the row lock, the "
                    + "stalled session being ended after 1.5 s idle in its transaction");
            try (Connection o = other.dataSource().getConnection()) {
                assertEquals("other", query(o, "SELECT OWNER FROM LEASE WHERE K = 'wf:1'"),
                        "the stalled session's update rolled back, the other's committed");
            }
            proxy.restore();
            assertThrows(SQLException.class, c::commit, "the server ended the stalled session: its commit fails");
            c.close();
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        return query(c, "SHOW " + setting);
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
