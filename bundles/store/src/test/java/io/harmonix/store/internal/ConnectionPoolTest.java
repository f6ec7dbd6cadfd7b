package io.harmonix.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.provider.ConnectionPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's pool on a real embedded Derby database. */
class ConnectionPoolTest {
    @TempDir
    Path dir;

    private DerbyDatabase database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private DataSource open(int size, Duration wait) throws SQLException {
        database = new DerbyDatabase(dir.resolve("derby"), dir.resolve("derby.log"), size, wait);
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE NOTES (ID BIGINT PRIMARY KEY, BODY VARCHAR(100))");
        }
        return database.dataSource();
    }

    private static void insert(DataSource ds, long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO NOTES (ID, BODY) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "note " + id);
            ps.executeUpdate();
        }
    }

    private static long count(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM NOTES");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theDatabaseIsBootedByTheFirstConnectionAskedForNotBefore() throws SQLException {
        database = new DerbyDatabase(dir.resolve("derby"), dir.resolve("derby.log"));
        assertFalse(Files.exists(dir.resolve("derby")), "no database folder before the first connection");
        assertFalse(database.booted());
        database.boot();
        assertTrue(Files.isDirectory(dir.resolve("derby")));
        assertTrue(database.booted());
    }

    @Test
    void workDeferredToTheBootRunsBeforeTheFirstConnectionIsHandedOutAndAFailingStepTakesNothingFromTheOthers()
            throws SQLException {
        database = new DerbyDatabase(dir.resolve("derby"), dir.resolve("derby.log"));
        ConnectionPool pool = database.pool();
        java.util.List<String> info = new java.util.ArrayList<>();
        java.util.List<String> errors = new java.util.ArrayList<>();
        pool.reportTo(info::add, errors::add);
        // a step works on the connections it is given: the pool's own are handed out only after the steps
        assertTrue(pool.deferUntilBoot(booting -> "applied " + new Migrations(booting).migrate("notes", List.of(
                io.harmonix.store.api.Migration.of(1, "notes", "CREATE TABLE NOTES (ID BIGINT PRIMARY KEY, "
                        + "BODY VARCHAR(100))")))));
        assertTrue(pool.deferUntilBoot(booting -> {
            throw new SQLException("step refused");
        }));
        assertFalse(Files.exists(dir.resolve("derby")), "nothing booted yet");
        // the first user of the database is told of the failed step (before, only the log said it)
        SQLException told = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, pool::getConnection);
        assertTrue(told.getMessage().endsWith(": step refused"), told.getMessage());
        assertEquals(List.of(told.getMessage()), pool.bootFailures(), "kept for store:info");
        assertEquals(pool, database.dataSource().unwrap(ConnectionPool.class));
        insert(pool, 1); // the next connection: the table is there already
        assertEquals(1, count(pool));
        assertEquals(2, info.size(), info.toString());
        // the boot says how long it took and who asked first (what made a start pay for the database)
        assertTrue(info.get(0).matches("store: the database in .*derby booted in \\d+ ms, first used by .+"),
                info.toString());
        assertEquals("applied [1]", info.get(1));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("step refused"), errors.toString());
        assertFalse(pool.deferUntilBoot(booting -> "late"), "booted: the caller runs its step itself");
    }

    @Test
    void aConnectionIsReusedWithItsPreparedStatementsAndEachLeaseStartsClean() throws SQLException {
        DataSource ds = open(4, Duration.ofSeconds(5));
        Object physicalFirst;
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO NOTES (ID, BODY) VALUES (?, ?)")) {
            physicalFirst = ps.unwrap(PreparedStatement.class);
            ps.setLong(1, 1);
            ps.setString(2, "one");
            ps.executeUpdate();
            ps.setLong(1, 2); // bound, never executed: the next lease must not see it
        }
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO NOTES (ID, BODY) VALUES (?, ?)")) {
            assertSame(physicalFirst, ps.unwrap(PreparedStatement.class), "the statement prepared before is reused");
            SQLException unbound = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("07000", unbound.getSQLState(), "its parameters were cleared: " + unbound);
            // the same SQL twice in one lease: two statements, each usable
            try (PreparedStatement second = c.prepareStatement("INSERT INTO NOTES (ID, BODY) VALUES (?, ?)")) {
                assertNotSame(physicalFirst, second.unwrap(PreparedStatement.class));
                second.setLong(1, 3);
                second.setString(2, "three");
                assertEquals(1, second.executeUpdate());
            }
        }
        assertEquals(2, count(ds));
        assertEquals(1, database.pool().open(), "one thread at a time needs one connection");
    }

    @Test
    void whatACallerDidNotCommitIsRolledBackWhenItsConnectionGoesBack() throws SQLException {
        DataSource ds = open(1, Duration.ofSeconds(5));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
        } // closed inside a transaction
        try (Connection c = ds.getConnection()) {
            assertTrue(c.getAutoCommit(), "auto-commit again for the next caller");
        }
        assertEquals(0, count(ds));
        insert(ds, 2);
        assertEquals(1, count(ds));
    }

    private static void insert(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO NOTES (ID, BODY) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "note " + id);
            ps.executeUpdate();
        }
    }

    @Test
    void aConnectionWhoseSessionWasChangedIsNotGivenToAnyoneElse() throws SQLException {
        DataSource ds = open(2, Duration.ofSeconds(5));
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        }
        try (Connection c = ds.getConnection()) {
            assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
        }
    }

    @Test
    void aClosedConnectionAndItsStatementsRefuseFurtherUse() throws SQLException {
        DataSource ds = open(2, Duration.ofSeconds(5));
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM NOTES");
        c.close();
        assertTrue(c.isClosed());
        assertTrue(ps.isClosed(), "a statement left open is closed with its lease");
        assertThrows(SQLException.class, ps::executeQuery);
        assertThrows(SQLException.class, c::createStatement);
        c.close(); // twice is harmless, as for any connection
    }

    @Test
    void whenEveryConnectionIsInUseACallerWaitsThenGetsAnErrorThatSaysWhy() throws Exception {
        DataSource ds = open(2, Duration.ofMillis(300));
        try (Connection a = ds.getConnection(); Connection b = ds.getConnection()) {
            SQLException e = assertThrows(SQLTransientConnectionException.class, ds::getConnection);
            assertTrue(e.getMessage().contains("all 2 of the pool are in use"), e.getMessage());
            assertTrue(e.getMessage().contains("poolSize in etc/io.harmonix.store.cfg"), e.getMessage());
            assertEquals(ConnectionPool.EXHAUSTED_STATE, e.getSQLState());
        }
        // and a caller that waits gets the connection given back meanwhile
        Connection held = ds.getConnection();
        Connection other = ds.getConnection();
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return count(ds);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        held.close();
        assertEquals(0L, waiting.get(10, TimeUnit.SECONDS));
        other.close();
    }

    @Test
    void theDatabaseShutDownAndBootedAgainUnderThePoolIsRecoveredWithoutLosingACommit() throws SQLException {
        DataSource ds = open(4, Duration.ofSeconds(5));
        insert(ds, 1);
        insert(ds, 2);
        Connection leased = ds.getConnection();
        ds.getConnection().close(); // a second connection, idle in the pool
        assertEquals(2, database.pool().open());
        database.shutdown(); // as Derby does after a severe error, and as the read-only recovery does
        SQLException broken = assertThrows(SQLException.class, () -> insert(leased, 3));
        assertEquals("08003", broken.getSQLState(), "Derby says the connection is gone: " + broken);
        leased.close(); // given back broken: closed, not pooled
        insert(ds, 4); // an idle connection cut by the shutdown is replaced; the new one boots the database
        assertEquals(3, count(ds));
        assertEquals(1, database.pool().open(), "the dead connections were dropped");
    }

    @Test
    void closingThePoolThenTheDatabaseKeepsEveryCommitAndRefusesNewCallers() throws SQLException {
        DataSource ds = open(4, Duration.ofSeconds(5));
        for (long id = 1; id <= 50; id++) {
            insert(ds, id);
        }
        Connection inUse = ds.getConnection();
        database.close();
        SQLException refused = assertThrows(SQLException.class, ds::getConnection);
        assertTrue(refused.getMessage().contains("is closed"), refused.getMessage());
        inUse.close(); // the shutdown closed it under its caller: giving it back is harmless
        assertEquals(0, database.pool().open());
        database = new DerbyDatabase(dir.resolve("derby"), dir.resolve("derby.log"));
        assertEquals(50, count(database.dataSource()), "every commit is there after the database booted again");
    }
}
