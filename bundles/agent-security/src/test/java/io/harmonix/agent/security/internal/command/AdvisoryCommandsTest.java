package io.harmonix.agent.security.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.agent.security.internal.SampleAdvisories;
import io.harmonix.agent.security.internal.deps.Advisory;
import io.harmonix.agent.security.internal.deps.AdvisoryStore;
import io.harmonix.agent.security.internal.deps.DerbyAdvisories;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import io.harmonix.store.testing.DerbyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** enhance:advisories over a real Derby database, migrated by the store's migrator as in the runtime. */
class AdvisoryCommandsTest {
    @TempDir
    Path dir;
    private DerbyFixture derby;
    private AdvisoryStore store;
    private AdvisoryCommands commands;

    @BeforeEach
    void open() throws Exception {
        derby = DerbyFixture.open(dir.resolve("db"));
        store = new DerbyAdvisories(derby.dataSource(), derby.migrator());
        commands = Commands.over(new AdvisoryCommands(), store);
    }

    @AfterEach
    void close() {
        derby.close();
    }

    @Test
    void importsAnArrayThenListsAndFiltersIt() throws Exception {
        String out = CommandLines.output(commands, "advisories", "import", SampleAdvisories.copyTo(dir).toString());
        assertEquals("imported 8 advisories from 1 file(s)", out.strip());
        String list = CommandLines.output(commands, "advisories", "list");
        assertTrue(list.contains("GHSA-jfh8-c2jp-5v3q") && list.contains("CVE-2021-44228")
                && list.contains("critical"), list);
        List<Advisory> npm = store.list("npm", null);
        assertEquals(List.of("GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw", "GHSA-xvch-5gv4-984h"),
                npm.stream().map(Advisory::id).toList());
        assertEquals(List.of("GHSA-7rjr-3q55-vv33", "GHSA-jfh8-c2jp-5v3q"), store.list("Maven",
                "org.apache.logging.log4j:log4j-core").stream().map(Advisory::id).toList());
        String filtered = CommandLines.output(commands, "advisories", "list", "--package", "lodash");
        assertTrue(filtered.contains("GHSA-35jh-r3h4-6jhm") && !filtered.contains("log4j"), filtered);
        assertEquals(2, store.forPackage("maven", "org.apache.logging.log4j:log4j-core").size(),
                "ecosystems match without case");
    }

    @Test
    void reImportingReplacesByIdAndChangesNothing() throws Exception {
        Path file = SampleAdvisories.copyTo(dir);
        CommandLines.output(commands, "advisories", "import", file.toString());
        CommandLines.output(commands, "advisories", "import", file.toString());
        assertEquals(8, store.list(null, null).size());
        // a newer version of one advisory replaces it, its packages too
        String one = "{\"id\": \"GHSA-35jh-r3h4-6jhm\", \"summary\": \"updated\", \"affected\": [{\"package\": "
                + "{\"ecosystem\": \"npm\", \"name\": \"lodash-es\"}, \"versions\": [\"4.17.20\"]}]}";
        Files.writeString(dir.resolve("one.json"), one);
        CommandLines.output(commands, "advisories", "import", dir.resolve("one.json").toString());
        assertEquals(8, store.list(null, null).size());
        assertEquals(List.of(), store.forPackage("npm", "lodash").stream().filter(a -> a.id()
                .equals("GHSA-35jh-r3h4-6jhm")).toList());
        assertEquals("updated", store.forPackage("npm", "lodash-es").get(0).summary());
        // withdrawn by its database: importing it removes it
        Files.writeString(dir.resolve("gone.json"), "{\"id\": \"GHSA-35jh-r3h4-6jhm\", \"withdrawn\": "
                + "\"2024-01-01T00:00:00Z\", \"affected\": []}");
        CommandLines.output(commands, "advisories", "import", dir.resolve("gone.json").toString());
        assertEquals(7, store.list(null, null).size());
        assertEquals(List.of(), store.forPackage("npm", "lodash-es"));
    }

    @Test
    void importsAFolderOfSingleAdvisoriesAndRefusesBadFilesByName() throws Exception {
        Path osv = Files.createDirectories(dir.resolve("osv/npm"));
        Files.writeString(osv.resolve("GHSA-1.json"), "{\"id\": \"GHSA-1\", \"affected\": [{\"package\": "
                + "{\"ecosystem\": \"npm\", \"name\": \"a\"}, \"ranges\": [{\"type\": \"SEMVER\", \"events\": "
                + "[{\"introduced\": \"0\"}, {\"fixed\": \"1.0.0\"}]}]}]}");
        Files.writeString(osv.resolve("GHSA-2.json"), "{\"id\": \"GHSA-2\",\n \"affected\": [ }");
        Files.writeString(osv.resolve("GHSA-3.json"), "{\"id\": \"GHSA-3\", \"affected\": [{\"package\": "
                + "{\"ecosystem\": \"npm\"}, \"versions\": [\"1.0.0\"]}]}");
        Files.writeString(osv.resolve("notes.txt"), "not an advisory");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CommandLines.output(commands,
                "advisories", "import", dir.resolve("osv").toString()));
        assertTrue(e.getMessage().startsWith("enhance:advisories import: 2 file(s) refused, first: "
                + osv.resolve("GHSA-2.json") + ": not JSON at line 2, column"), e.getMessage());
        assertEquals(List.of("GHSA-1"), store.list(null, null).stream().map(Advisory::id).toList(),
                "the good file is imported");
        var bad = assertThrows(io.harmonix.agent.security.internal.deps.AdvisoryFormatException.class,
                () -> io.harmonix.agent.security.internal.deps.OsvReader.read(osv.resolve("GHSA-3.json")));
        assertEquals(osv.resolve("GHSA-3.json") + ": advisory GHSA-3: affected[0].package field 'name' missing, "
                + "expected a non-empty string", bad.getMessage());
    }

    @Test
    void aRelativePathIsAlsoLookedForInTheInstallation() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/examples/advisories"));
        SampleAdvisories.copyTo(home);
        String before = System.getProperty("harmonix.home");
        System.setProperty("harmonix.home", dir.resolve("home").toString());
        try {
            assertEquals(dir.resolve("home/examples/advisories"), AdvisoryCommands.resolve("examples/advisories"));
            assertEquals(Path.of("missing/here"), AdvisoryCommands.resolve("missing/here"));
        } finally {
            if (before == null) {
                System.clearProperty("harmonix.home");
            } else {
                System.setProperty("harmonix.home", before);
            }
        }
    }

    @Test
    void wrongUseIsAnsweredClearly() throws Exception {
        IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(
                commands, "advisories", "import"));
        assertTrue(noFile.getMessage().startsWith("enhance:advisories import: give the OSV JSON file"));
        IllegalArgumentException action = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(
                commands, "advisories", "remove"));
        assertEquals("enhance:advisories: unknown action 'remove', expected import or list", action.getMessage());
        IOException missing = assertThrows(IOException.class, () -> CommandLines.output(commands, "advisories",
                "import", dir.resolve("nope.json").toString()));
        assertTrue(missing.getMessage().contains("nope.json does not exist"));
        assertTrue(CommandLines.output(commands, "advisories", "list").contains("no advisories"));
    }
}
