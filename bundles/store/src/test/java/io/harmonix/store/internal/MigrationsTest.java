package io.harmonix.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.MigrationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations on a real embedded Derby database in a temporary folder. */
class MigrationsTest {
    @TempDir
    java.nio.file.Path dir;

    private DerbyDatabase db;
    private Migrations migrations;

    private static final Migration V1 = Migration.of(1, "notes table",
            "CREATE TABLE NOTES (ID INT PRIMARY KEY, TEXT VARCHAR(100))");
    private static final Migration V2 = Migration.of(2, "tags",
            "ALTER TABLE NOTES ADD COLUMN TAG VARCHAR(20)", "CREATE INDEX NOTES_TAG ON NOTES (TAG)");

    @BeforeEach
    void open() throws SQLException {
        db = new DerbyDatabase(dir.resolve("derby"), dir.resolve("derby.log"));
        migrations = new Migrations(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<String> columns(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        return out;
    }

    @Test
    void appliesEachMigrationOnceAndRecordsIt() throws Exception {
        assertEquals(List.of(1), migrations.migrate("notes", List.of(V1)));
        assertEquals(List.of(2), migrations.migrate("notes", List.of(V1, V2)));
        assertEquals(List.of(), migrations.migrate("notes", List.of(V1, V2)));
        assertEquals(List.of("ID", "TEXT", "TAG"), columns("NOTES"));
        assertEquals(List.of("notes:1:notes table", "notes:2:tags"), migrations.history().stream()
                .map(m -> m.component() + ":" + m.version() + ":" + m.description()).toList());
        // the history survives a restart of the database
        db.close();
        open();
        assertEquals(List.of(), migrations.migrate("notes", List.of(V1, V2)));
    }

    @Test
    void aFailedStepLeavesTheDatabaseAsItWasAndSaysWhichStepFailed() throws Exception {
        migrations.migrate("notes", List.of(V1));
        Migration broken = Migration.of(2, "half good", "CREATE TABLE EXTRA (ID INT)",
                "ALTER TABLE NOTES ADD COLUMN TEXT VARCHAR(5)");
        MigrationException e = assertThrows(MigrationException.class,
                () -> migrations.migrate("notes", List.of(V1, broken)));
        assertTrue(e.getMessage().startsWith("schema migration notes v2 ('half good') failed at statement 2 of 2 "
                + "[ALTER TABLE NOTES ADD COLUMN TEXT VARCHAR(5)]: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the database is as it was before this step"), e.getMessage());
        assertEquals(List.of(), columns("EXTRA"), "the first statement of the failed step was rolled back");
        assertEquals(1, migrations.history().size());
        // fixed, it applies
        assertEquals(List.of(2), migrations.migrate("notes", List.of(V1, V2)));
    }

    @Test
    void aChangedAppliedMigrationIsRefused() throws Exception {
        migrations.migrate("notes", List.of(V1));
        Migration edited = Migration.of(1, "notes table", "CREATE TABLE NOTES (ID BIGINT PRIMARY KEY)");
        MigrationException e = assertThrows(MigrationException.class,
                () -> migrations.migrate("notes", List.of(edited)));
        assertTrue(e.getMessage().contains("was changed after it was applied"), e.getMessage());
    }

    @Test
    void migrationsMustBeNumberedInOrder() {
        assertThrows(IllegalArgumentException.class, () -> migrations.migrate("x", List.of(V2)));
    }

    @Test
    void concurrentStartsApplyEachStepExactlyOnce() throws Exception {
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Callable<List<Integer>>> tasks = Collections.nCopies(callers,
                    () -> new Migrations(db.dataSource()).migrate("notes", List.of(V1, V2)));
            List<Integer> applied = new ArrayList<>();
            for (Future<List<Integer>> f : pool.invokeAll(tasks)) {
                applied.addAll(f.get());
            }
            Collections.sort(applied);
            assertEquals(List.of(1, 2), applied, "each version applied by exactly one caller");
        } finally {
            pool.shutdown();
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + Migrations.HISTORY)) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }
}
