package io.harmonix.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.MigrationException;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.postgresql.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL store's DataSource and migrator on a real PostgreSQL server, one fresh database per test. */
class PostgresStoreTest {
    @TempDir
    static Path serverDir;
    @TempDir
    Path dir;

    private static PostgresServer server;
    private PostgresDatabase database;
    private String name;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void open() throws SQLException {
        name = server.createDatabase();
        database = new PostgresDatabase(server.url(name), PostgresServer.USER, server.passwordFile(), 4,
                Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private SchemaMigrator migrator() {
        return new PostgresMigrations(database.dataSource());
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final Migration NOTES = Migration.of(1, "notes in Derby's SQL",
            "CREATE TABLE NOTES (ID BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1) PRIMARY KEY, BODY CLOB NOT NULL, "
                    + "SCORE DOUBLE, RAW VARCHAR(16) FOR BIT DATA, AT TIMESTAMP NOT NULL)",
            "CREATE INDEX NOTES_BY_AT ON NOTES (AT)");

    @Test
    void everySessionIsOnUtcWhateverTheJvmsZone() throws SQLException {
        java.util.TimeZone before = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York")); // the driver's source
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW TIME ZONE")) {
            rs.next();
            assertEquals("UTC", rs.getString(1), "a TIMESTAMP column's CURRENT_TIMESTAMP is the same on every node");
        } finally {
            java.util.TimeZone.setDefault(before);
        }
    }

    @Test
    void derbyMigrationsApplyOnceAndTheirTablesTakeRows() throws SQLException {
        assertEquals(List.of(1), migrator().migrate("notes", List.of(NOTES)));
        assertEquals(List.of(), migrator().migrate("notes", List.of(NOTES)), "applied once");
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO NOTES (BODY, SCORE, RAW, AT) VALUES ('" + "x".repeat(100_000)
                    + "', 0.5, 'ab'::bytea, CURRENT_TIMESTAMP)");
        }
        assertEquals(1, count(database.dataSource(), "SELECT COUNT(*) FROM NOTES WHERE LENGTH(BODY) = 100000"));
        List<SchemaMigrator.AppliedMigration> history = migrator().history();
        assertEquals(1, history.size());
        assertEquals("notes", history.get(0).component());
        assertEquals(io.harmonix.store.provider.SqlMigrator.checksum(NOTES), history.get(0).checksum(),
                "the checksum of the statements as written: the same as on Derby");
    }

    @Test
    void aFailedStepRollsBackWholeAndNamesTheStatementAndPostgresReason() throws SQLException {
        Migration bad = Migration.of(1, "half good", "CREATE TABLE GOOD (ID INT PRIMARY KEY)",
                "CREATE TABLE BAD (ID NO_SUCH_TYPE)");
        MigrationException e = assertThrows(MigrationException.class, () -> migrator().migrate("bad", List.of(bad)));
        assertTrue(e.getMessage().contains("statement 2 of 2 [CREATE TABLE BAD (ID NO_SUCH_TYPE)]"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_type"), e.getMessage());
        assertEquals(0, count(database.dataSource(),
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'good'"),
                "PostgreSQL's DDL is transactional: the first table went with the step");
        assertEquals(0, migrator().history().size());
    }

    @Test
    void aStepChangedAfterItWasAppliedIsRefused() throws SQLException {
        migrator().migrate("notes", List.of(NOTES));
        Migration changed = Migration.of(1, "notes in Derby's SQL", "CREATE TABLE NOTES (ID INT)");
        MigrationException e = assertThrows(MigrationException.class,
                () -> migrator().migrate("notes", List.of(changed)));
        assertTrue(e.getMessage().contains("was changed after it was applied"), e.getMessage());
    }

    @Test
    void migratorsRacingOnAFreshDatabaseApplyEachStepOnce() throws Exception {
        List<Migration> steps = List.of(NOTES, Migration.of(2, "tags", "ALTER TABLE NOTES ADD COLUMN TAG VARCHAR(20)"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<Integer>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> migrator().migrate("notes", steps));
            }
            List<Integer> applied = new ArrayList<>();
            for (Future<List<Integer>> f : pool.invokeAll(calls)) {
                applied.addAll(f.get());
            }
            applied.sort(null);
            assertEquals(List.of(1, 2), applied, "each step applied by exactly one of the four");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPasswordFileOthersMayReadIsRefusedWithoutShowingThePassword() throws Exception {
        Path file = dir.resolve("store.password");
        try (PostgresDatabase open = withPasswordFile(file, "s3cret-Value", "rw-r--r--")) {
            SQLException e = assertThrows(SQLException.class, () -> open.dataSource().getConnection().close());
            assertTrue(e.getMessage().contains("readable by other users"), e.getMessage());
            assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheServerAndNotRepeated() throws Exception {
        Path file = dir.resolve("store.password");
        try (PostgresDatabase open = withPasswordFile(file, "not-the-password", "rw-------")) {
            SQLException e = assertThrows(SQLException.class, () -> open.dataSource().getConnection().close());
            assertEquals("28P01", e.getSQLState(), e.getMessage());
            assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
        }
    }

    @Test
    void theServersPasswordFileLogsIn() throws SQLException {
        assertEquals(1, count(database.dataSource(), "SELECT 1"));
        assertEquals(1, database.pool().open(), "the pool opened one connection and keeps it");
    }

    @Test
    void aConnectionTheServerEndedWhileIdleIsReplacedBeforeItIsLeased() throws Exception {
        int backend = backend();
        try (Connection admin = server.connect(name); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + backend + ")");
        }
        Thread.sleep(PostgresDatabase.VALIDATE_AFTER_IDLE.toMillis() + 100); // idle long enough to be checked
        int next = backend();
        assertTrue(next != backend, "a new session (" + next + "), not the ended one");
        assertEquals(1, database.pool().open(), "the ended connection was dropped");
    }

    private int backend() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** @return a database of the test server opened with {@code file}, holding {@code password}, mode {@code mode} */
    private PostgresDatabase withPasswordFile(Path file, String password, String mode) throws Exception {
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return new PostgresDatabase(server.url(name), PostgresServer.USER, file, 2, Duration.ofSeconds(5));
    }
}
