package io.harmonix.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.testing.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database on a real file system that fills up (a small tmpfs; the test needs root to mount it). */
class DerbyDatabaseTest {
    @TempDir
    Path dir;

    private SmallDisk disk;
    private DerbyDatabase database;

    private Path readOnlyMount;

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (disk != null) {
            disk.close();
        }
        if (readOnlyMount != null) {
            run("umount", readOnlyMount.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** {@code folder} bound read-only onto itself (as RunFaultsIT does to a runtime's database folder). */
    private void readOnly(Path folder) throws Exception {
        // a failure, not a skip: a skipped read-only test would prove nothing (CI runs as root, as this machine)
        assertEquals(0, run("mount", "--bind", "-o", "ro", folder.toString(), folder.toString()),
                "a read-only bind mount needs root (or mount rights): " + folder);
        readOnlyMount = folder;
    }

    @Test
    void migrationsWaitForTheBootOnAWritableFolderAndAReadOnlyOneRefusesThemAtOnceNamingIt() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        database = new DerbyDatabase(dir.resolve("data/derby"), dir.resolve("derby.log"));
        List<String> ran = new ArrayList<>();
        assertTrue(database.deferUntilBoot(booting -> {
            ran.add("notes");
            return null;
        }), "a fresh folder that can be written: deferred");
        assertFalse(Files.exists(dir.resolve("data/derby")), "nothing booted nor created for it");
        assertEquals(List.of(), ran);
        database.boot();
        assertEquals(List.of("notes"), ran, "run by the boot");
        assertFalse(database.deferUntilBoot(booting -> null), "booted: the caller runs it now");
        database.close();

        // the same database again, its folder read-only now: refused before Derby is booted, the folder named
        readOnly(dir.resolve("data/derby"));
        database = new DerbyDatabase(dir.resolve("data/derby"), dir.resolve("derby.log"));
        SQLException refused = assertThrows(SQLException.class, () -> database.deferUntilBoot(booting -> {
            ran.add("never");
            return null;
        }));
        assertTrue(refused.getMessage().contains(dir.resolve("data/derby").toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("Read-only file system"), refused.getMessage());
        assertEquals("25502", refused.getSQLState());
        assertFalse(database.booted(), "nothing booted to find out");
        assertEquals(List.of("notes"), ran);
    }

    private static void insert(DataSource ds, long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO NOTES (ID, BODY) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "x".repeat(2000));
            ps.executeUpdate();
        }
    }

    private static long count(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM NOTES")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDatabaseLeftReadOnlyByAFullDiskIsWritableAgainOnceSpaceIsBackWithNothingLost() throws Exception {
        Path fs = dir.resolve("fs");
        disk = SmallDisk.mount(fs, 24);
        database = new DerbyDatabase(fs.resolve("derby"), dir.resolve("derby.log"));
        DataSource ds = database.dataSource();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE NOTES (ID BIGINT PRIMARY KEY, BODY CLOB)");
        }
        long committed = 0;
        for (long id = 1; id <= 20; id++) {
            insert(ds, id);
            committed = id;
        }
        SmallDisk.fill(fs.resolve("filler"));
        SQLException failed = null;
        while (failed == null) {
            try {
                insert(ds, committed + 1);
                committed++;
            } catch (SQLException e) {
                failed = e;
            }
        }
        // a page Derby cannot write is a severe error: Derby shuts the database down
        assertEquals("XSDG1", failed.getSQLState(), failed.toString());
        // whatever space its shutdown freed is taken again, so that Derby boots it again on a full disk, and
        // read-only, as it does when it cannot write its lock file
        SmallDisk.fill(fs.resolve("filler2"));
        assertEquals(committed, count(ds), "read while the disk is full");
        SQLException readOnly = assertThrows(SQLException.class, () -> insert(ds, -1));
        assertEquals("25502", readOnly.getSQLState(), readOnly.toString());

        Files.delete(fs.resolve("filler"));
        Files.delete(fs.resolve("filler2"));
        insert(ds, committed + 1); // no restart: the next connection finds the database writable
        try (Connection c = ds.getConnection()) {
            assertFalse(c.isReadOnly());
        }
        assertEquals(committed + 1, count(ds), "every committed row is there");
    }
}
