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
        DerbyDatabase db = new DerbyDatabase(dir.resolve("data/derby"), dir.resolve("derby.log"), 4,
                Duration.ofSeconds(5), directory -> {
                    String refused = template.refusal(installed);
                    if (refused != null) {
                        return "not from the template: " + refused;
                    }
                    template.copyTo(directory);
                    return "from the template";
                }, said::add);
        open.add(db);
        return db;
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
