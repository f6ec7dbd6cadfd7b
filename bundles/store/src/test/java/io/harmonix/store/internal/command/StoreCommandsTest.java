package io.harmonix.store.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import io.harmonix.store.api.Migration;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store:info} on a real Derby database. */
class StoreCommandsTest {
    @TempDir
    Path dir;

    private static final List<Migration> NOTES = List.of(
            Migration.of(1, "notes", "CREATE TABLE NOTES (ID INT PRIMARY KEY)"),
            Migration.of(2, "tags", "ALTER TABLE NOTES ADD COLUMN TAG VARCHAR(20)"));

    @Test
    void infoNamesTheStoreItsVersionWhereItIsAndEachSchemasLevel() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir, "notes", NOTES)) {
            db.migrator().migrate("alarms", List.of(Migration.of(1, "alarms", "CREATE TABLE ALARMS (ID INT)")));
            StoreCommands commands = Commands.over(new StoreCommands(), db.dataSource(), db.migrator());

            String text = CommandLines.output(commands, "info");
            String[] lines = text.split("\n");
            assertTrue(lines[0].startsWith("store derby: Apache Derby 10.16.1.1"), text);
            assertEquals("at " + dir.resolve("derby").toAbsolutePath(), lines[1]);
            assertTrue(lines[2].matches("SCHEMA +LEVEL +STEPS +APPLIED *"), text);
            assertTrue(lines[3].matches("alarms +1 +1 +\\d{4}-.*"), text);
            assertTrue(lines[4].matches("notes +2 +2 +\\d{4}-.*"), text);
            assertEquals(5, lines.length, text);

            JsonNode json = new ObjectMapper().readTree(CommandLines.output(commands, "info", "--json"));
            assertEquals("derby", json.get("store").asText());
            assertEquals("Apache Derby", json.get("product").asText());
            assertEquals(2, json.get("schemas").size());
            assertEquals("notes", json.get("schemas").get(1).get("component").asText());
            assertEquals(2, json.get("schemas").get(1).get("version").asInt());
        }
    }

    @Test
    void aFreshDatabaseHasNoSchemaYet() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir)) {
            String text = CommandLines.output(Commands.over(new StoreCommands(), db.dataSource(), db.migrator()),
                    "info");
            assertTrue(text.endsWith("no schema migrated yet\n"), text);
        }
    }
}
