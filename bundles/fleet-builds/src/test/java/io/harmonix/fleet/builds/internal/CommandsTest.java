package io.harmonix.fleet.builds.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.fleet.builds.internal.command.RepoBuildCommand;
import io.harmonix.fleet.builds.internal.command.RepoHealthCommand;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.testing.Commands;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repo:build and repo:health as the shell runs them, over a real fleet build. */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private BuildFixture fleet;
    private ShellCommands build;
    private ShellCommands health;

    @BeforeEach
    void fleet() throws Exception {
        fleet = new BuildFixture(dir, BuildFixture.settings());
        fleet.repository("core", "true", "true");
        fleet.repository("app", "true", "true", "core");
        build = Commands.over(new RepoBuildCommand(), fleet.builds);
        health = Commands.over(new RepoHealthCommand(), fleet.builds);
    }

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void buildPrintsProgressThenTheReport() throws Exception {
        String out = CommandLines.output(build, "build");
        assertTrue(out.contains("levels 0/2 done, building core"), out);
        assertTrue(out.matches("(?s).*fleet build wf-[0-9a-f]+: succeeded in .*"), out);
        assertTrue(out.matches("(?s).*\\napp +built +[0-9a-f]{12} .*"), out);
        JsonNode report = JSON.readTree(CommandLines.output(build, "build", "core", "--json"));
        assertEquals("succeeded", report.get("state").asText());
        assertEquals(1, report.get("repositories").size());
        JsonNode again = JSON.readTree(CommandLines.output(build, "build", "--report",
                report.get("instance").asText(), "--json"));
        assertEquals(report.get("repositories"), again.get("repositories"));
    }

    @Test
    void buildFailsWhenARepositoryFailedAndNamesUnknownRepositories() throws Exception {
        fleet.repository("bad", "exit 1", null, "core");
        Exception failed = assertThrows(Exception.class, () -> CommandLines.output(build, "build"));
        assertTrue(failed.getMessage().contains("repo:build: 1 repository failed, blocked or not built"),
                failed.getMessage());
        Exception unknown = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(build, "build",
                "nope"));
        assertEquals("repo:build: unknown repository nope; known: app, bad, core", unknown.getMessage());
    }

    @Test
    void healthShowsEachRepository() throws Exception {
        CommandLines.output(build, "build");
        String table = CommandLines.output(health, "health", "--window", "1d");
        assertTrue(table.startsWith("REPOSITORY"), table);
        assertTrue(table.matches("(?s).*\\ncore +1 +100% +1 +100% .*"), table);
        JsonNode json = JSON.readTree(CommandLines.output(health, "health", "--json"));
        assertEquals(List.of("app", "core"), List.of(json.get(0).get("name").asText(),
                json.get(1).get("name").asText()));
    }
}
