package io.harmonix.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh database folder made from the installation's template (real Derby databases in a temporary folder): the
 * template's steps are found applied and verified, a template made with other bundles is not used, and a step
 * changed since the template was made is refused as on any database.
 */
class StoreTemplateTest {
    private static final Migration NOTES = Migration.of(1, "notes table",
            "CREATE TABLE NOTES (ID INT PRIMARY KEY, TEXT VARCHAR(100))");
    private static final Migration TAGS = Migration.of(2, "tags", "ALTER TABLE NOTES ADD COLUMN TAG VARCHAR(20)");
    private static final Migration RUNS = Migration.of(1, "runs table", "CREATE TABLE RUNS (ID INT PRIMARY KEY)");
    private static final Set<String> BUNDLES = Set.of("io.harmonix.store 0.1.0.202611270104",
            "io.harmonix.state 0.1.0.202611270104");

    @TempDir
    Path dir;

    private final List<DerbyDatabase> open = new ArrayList<>();
    private final List<String> said = new ArrayList<>();
    private final List<String> warned = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(DerbyDatabase::close);
    }

    private StoreTemplate template() throws Exception {
        Map<String, List<Migration>> migrations = new LinkedHashMap<>();
        migrations.put("notes", List.of(NOTES, TAGS));
        migrations.put("runs", List.of(RUNS));
        StoreTemplate template = new StoreTemplate(dir.resolve("lib/store-template"));
        assertEquals(List.of("notes", "runs"), template.write(migrations, BUNDLES));
        return template;
    }

    /** A database in {@code data/derby} seeded as DerbyDataSource seeds it, for {@code installed} bundles. */
    private DerbyDatabase database(StoreTemplate template, Set<String> installed) throws SQLException {
        return database(directory -> {
            String refused = template.refusal(installed);
            if (refused != null) {
                return "not from the template: " + refused;
            }
            template.copyTo(directory);
            return "from the template";
        });
    }

    private DerbyDatabase database(DerbyDatabase.Seed seed) throws SQLException {
        DerbyDatabase db = new DerbyDatabase(dir.resolve("data/derby"), dir.resolve("derby.log"), 4,
                Duration.ofSeconds(5), seed, said::add, warned::add);
        open.add(db);
        return db;
    }

    /**
     * A database seeded from a damaged template, whose components' migrations wait for its boot as the runtime's
     * do: it is created and migrated as without a template, with a warning, and holds exactly the schemas asked for.
     */
    private void createdAndMigratedDespite(DerbyDatabase db, String warning) throws Exception {
        List<List<Integer>> applied = new ArrayList<>();
        assertTrue(db.deferUntilBoot(physical -> {
            applied.add(new Migrations(physical).migrate("notes", List.of(NOTES, TAGS)));
            applied.add(new Migrations(physical).migrate("runs", List.of(RUNS)));
            return null;
        }));
        assertEquals(List.of("HARMONIX_SCHEMA_HISTORY", "NOTES", "RUNS"), tables(db));
        assertEquals(List.of(List.of(1, 2), List.of(1)), applied, "every step applied at the boot: a new database");
        assertEquals(1, warned.size(), String.valueOf(warned));
        assertTrue(warned.get(0).contains(warning), warned.get(0));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("INSERT INTO NOTES (ID, TEXT, TAG) VALUES (1, 'written', 'x')"));
        }
        assertFalse(Files.exists(dir.resolve("data/derby.from-template")), "no partial copy left");
    }

    /** The largest file of the template's database: a data page of a table, the kind Derby reads only when used. */
    private static Path largestDataFile(StoreTemplate template) throws Exception {
        try (var files = Files.list(template.folder().resolve("derby/seg0"))) {
            return files.filter(f -> f.toString().endsWith(".dat"))
                    .max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
        }
    }

    @Test
    void aTemplateWithATruncatedFileIsNotCopiedTheDatabaseIsCreatedAndMigratedWithAWarning() throws Exception {
        StoreTemplate template = template();
        Path file = largestDataFile(template);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        createdAndMigratedDespite(database(template, BUNDLES), "could not be made from the template (the template "
                + template.folder() + " is damaged: its file derby/seg0/" + file.getFileName()
                + " does not match its checksum in checksums");
        assertEquals(List.of(), said, "nothing said as copied");
    }

    @Test
    void aTemplateWithAByteFlippedIsNotCopied() throws Exception {
        StoreTemplate template = template();
        Path file = template.folder().resolve("derby/log/log1.dat");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 3] ^= 0x20;
        Files.write(file, bytes);
        createdAndMigratedDespite(database(template, BUNDLES), "is damaged: its file derby/log/log1.dat does not "
                + "match its checksum");
    }

    @Test
    void aTemplateWithAFileMissingOrItsChecksumsMissingIsNotCopied() throws Exception {
        StoreTemplate template = template();
        Files.delete(template.folder().resolve("derby/service.properties"));
        createdAndMigratedDespite(database(template, BUNDLES), "is damaged: its file derby/service.properties is "
                + "missing");

        close();
        open.clear();
        warned.clear();
        Path other = dir.resolve("other");
        StoreTemplate second = new StoreTemplate(other.resolve("lib/store-template"));
        second.write(Map.of("runs", List.of(RUNS)), BUNDLES);
        Files.delete(second.folder().resolve(StoreTemplate.CHECKSUMS));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> second.copyTo(other.resolve("derby")));
        assertEquals("the template " + second.folder() + " is damaged: its file checksums is missing", e.getMessage());
        assertFalse(Files.exists(other.resolve("derby")));
    }

    @Test
    void aCopyDerbyCannotBootIsDeletedAndTheDatabaseCreatedAndMigratedAtTheSameBoot() throws Exception {
        StoreTemplate template = template();
        // a copy damaged after its checks (a disk failing under it): Derby refuses to boot it
        DerbyDatabase db = database(directory -> {
            template.copyTo(directory);
            Files.write(directory.resolve("log/log.ctrl"), new byte[0]);
            Files.write(directory.resolve("log/logmirror.ctrl"), new byte[0]);
            Files.write(directory.resolve("log/log1.dat"), new byte[16]);
            return "from the template";
        });
        createdAndMigratedDespite(db, "copied from the template could not be booted (");
    }

    private static List<String> tables(DerbyDatabase db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs = c.getMetaData().getTables(null, "APP", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void aFreshFolderCopiedFromTheTemplateHasEveryStepAppliedAndVerifiedAndNothingElse() throws Exception {
        StoreTemplate template = template();
        assertTrue(Files.isRegularFile(template.folder().resolve(StoreTemplate.BUNDLES)));
        assertFalse(Files.exists(dir.resolve("lib/store-template.partial")), "written through a partial folder");

        DerbyDatabase db = database(template, BUNDLES);
        Migrations migrator = new Migrations(db.dataSource());
        assertEquals(List.of(), migrator.migrate("notes", List.of(NOTES, TAGS)), "found applied, not applied again");
        assertEquals(List.of(), migrator.migrate("runs", List.of(RUNS)));
        assertEquals(List.of("from the template"), said);
        assertEquals(List.of("HARMONIX_SCHEMA_HISTORY", "NOTES", "RUNS"), tables(db));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM NOTES")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the template holds the schemas, no data");
            s.executeUpdate("INSERT INTO NOTES (ID, TEXT, TAG) VALUES (1, 'written', 'x')");
        }
        // a later step of a newer bundle is applied on top of the copy as on any database
        Migration v3 = Migration.of(3, "flag", "ALTER TABLE NOTES ADD COLUMN FLAG INT");
        assertEquals(List.of(3), migrator.migrate("notes", List.of(NOTES, TAGS, v3)));
        assertFalse(Files.exists(dir.resolve("data/derby.from-template")), "copied through a partial folder");
    }

    @Test
    void aStepChangedSinceTheTemplateWasMadeIsRefusedAsOnAnyDatabase() throws Exception {
        DerbyDatabase db = database(template(), BUNDLES);
        Migration changed = Migration.of(1, "notes table", "CREATE TABLE NOTES (ID BIGINT PRIMARY KEY)");
        MigrationException e = assertThrows(MigrationException.class,
                () -> new Migrations(db.dataSource()).migrate("notes", List.of(changed, TAGS)));
        assertTrue(e.getMessage().contains("notes v1 ('notes table') was changed after it was applied"),
                e.getMessage());
    }

    @Test
    void aTemplateMadeWithOtherBundlesIsNotUsedTheDatabaseIsCreatedAndMigrated() throws Exception {
        StoreTemplate template = template();
        Set<String> newerState = Set.of("io.harmonix.store 0.1.0.202611270104",
                "io.harmonix.state 0.1.0.202611280930");
        assertEquals("it was made with the bundle io.harmonix.state 0.1.0.202611270104, which is not installed",
                template.refusal(newerState));
        DerbyDatabase db = database(template, newerState);
        Migration changed = Migration.of(1, "notes table", "CREATE TABLE NOTES (ID BIGINT PRIMARY KEY)");
        assertEquals(List.of(1), new Migrations(db.dataSource()).migrate("notes", List.of(changed)));
        assertEquals(List.of("not from the template: it was made with the bundle io.harmonix.state "
                + "0.1.0.202611270104, which is not installed"), said);
        assertEquals(List.of("HARMONIX_SCHEMA_HISTORY", "NOTES"), tables(db));
    }

    @Test
    void noTemplateFolderMeansNoTemplateAndAnExistingDatabaseIsNeverSeeded() throws Exception {
        assertEquals("no template in " + dir.resolve("none"), new StoreTemplate(dir.resolve("none")).refusal(BUNDLES));
        StoreTemplate template = template();
        DerbyDatabase first = database(template, Set.of());
        new Migrations(first.dataSource()).migrate("runs", List.of(RUNS));
        first.close();
        open.remove(first);
        said.clear();
        DerbyDatabase again = database(template, BUNDLES);
        assertEquals(List.of("HARMONIX_SCHEMA_HISTORY", "RUNS"), tables(again), "the folder in place is kept");
        assertEquals(List.of(), said, "a folder that exists is not seeded");
    }

    @Test
    void aCopyCutShortLeavesNoDatabaseAndTheNextOneCompletes() throws Exception {
        StoreTemplate template = template();
        Path partial = dir.resolve("data/derby.from-template");
        Files.createDirectories(partial.resolve("seg0"));
        Files.writeString(partial.resolve("seg0/c10.dat"), "half a page");
        template.copyTo(dir.resolve("data/derby"));
        assertFalse(Files.exists(partial));
        DerbyDatabase db = database(template, BUNDLES);
        assertEquals(List.of("HARMONIX_SCHEMA_HISTORY", "NOTES", "RUNS"), tables(db));
        assertEquals(List.of(), said, "the folder was there already");
    }

    @Test
    void aTemplateIsWrittenIntoANewFolderOnly() throws Exception {
        StoreTemplate template = template();
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> template.write(Map.of("runs", List.of(RUNS)), BUNDLES));
        assertEquals(template.folder() + " exists: a template is written into a new folder", e.getMessage());
    }
}
