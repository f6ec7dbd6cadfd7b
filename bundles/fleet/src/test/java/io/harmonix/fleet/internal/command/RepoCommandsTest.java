package io.harmonix.fleet.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.fleet.internal.FleetTesting;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repo: commands over a real catalogue of real repositories, as the shell runs them (text and --json). */
class RepoCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private FleetTesting fleet;
    private RepoCommands commands;

    @BeforeEach
    void open() throws Exception {
        fleet = FleetTesting.open(dir);
        Path root = fleet.root();
        fleet.workingTree(root.resolve("core"), "pom.xml", "<project><groupId>o</groupId><artifactId>core"
                + "</artifactId></project>");
        fleet.workingTree(root.resolve("service"), "pom.xml", "<project><groupId>o</groupId><artifactId>service"
                + "</artifactId><dependencies><dependency><groupId>o</groupId><artifactId>core</artifactId>"
                + "</dependency></dependencies></project>");
        fleet.workingTree(root.resolve("ping"), "build.sh", "true\n");
        fleet.workingTree(root.resolve("pong"), "build.sh", "true\n");
        Files.writeString(Files.createDirectories(fleet.home().resolve("etc")).resolve("repositories.json"), """
                {"repositories": [
                  {"name": "ping", "path": "repos/ping", "dependencies": ["pong"]},
                  {"name": "pong", "path": "repos/pong", "dependencies": ["ping", "ghost"]}
                ]}""");
        commands = Commands.over(new RepoCommands(), fleet.fleet());
    }

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void discoverReportsCountsAddedAndProblems() throws Exception {
        String out = CommandLines.output(commands, "discover");
        assertTrue(out.startsWith("discovered 4 repositories (0 with a problem) at 20"), out);
        assertTrue(out.contains("\n  added: core, ping, pong, service\n  vanished: none\n  problems (2):"), out);
        assertTrue(out.contains("etc/repositories.json:3:"), out);
        assertTrue(out.contains("pong: depends on 'ghost', which is no repository of the fleet"), out);
        assertTrue(out.contains("dependency cycle ping -> pong -> ping"), out);
        JsonNode json = JSON.readTree(CommandLines.output(commands, "discover", "--json"));
        assertEquals(4, json.get("repositories").asInt());
        assertEquals(0, json.get("added").size(), "nothing new the second time");
        assertEquals(2, json.get("problems").size());
    }

    @Test
    void listShowsATableAndTheIndexEntriesAsJson() throws Exception {
        assertTrue(CommandLines.output(commands, "list").contains("no repositories (repo:discover finds them"));
        CommandLines.output(commands, "discover");
        String table = CommandLines.output(commands, "list");
        String[] lines = table.strip().split("\n");
        assertTrue(lines[0].matches("NAME +LANGUAGE +DEPENDENCIES +HEAD +PROBLEM"), lines[0]);
        assertTrue(lines[4].matches("service +java +core +[0-9a-f]{12} *"), lines[4]);
        JsonNode json = JSON.readTree(CommandLines.output(commands, "list", "--json"));
        assertEquals(4, json.size());
        assertEquals("service", json.get(3).get("name").asText());
        assertEquals("core", json.get(3).get("inferred_dependencies").get(0).asText());
        assertEquals(40, json.get(3).get("head").asText().length());
        assertTrue(CommandLines.output(commands, "list", "--problems").contains("no repository has a problem"));
    }

    @Test
    void showTellsEverythingOfOneAndAnswersAnUnknownNameWithCloseOnes() throws Exception {
        CommandLines.output(commands, "discover");
        String core = CommandLines.output(commands, "show", "core");
        assertTrue(core.contains("language:      java"), core);
        assertTrue(core.contains("dependents:    service"), core);
        assertTrue(core.contains("build:         mvn -B -q -o package -DskipTests"), core);
        JsonNode json = JSON.readTree(CommandLines.output(commands, "show", "service", "--json"));
        assertEquals("discovered", json.get("origin").asText());
        assertEquals(0, json.get("dependents").size());
        var e = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(commands, "show", "servce"));
        assertEquals("repo:show: no repository 'servce' in the fleet; did you mean service?", e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(commands, "show", "zzz"));
        assertTrue(none.getMessage().endsWith("repositories: core, ping, pong, service"), none.getMessage());
    }

    @Test
    void graphMarksCyclesAndUnknownDependenciesInMermaidDotAndJson() throws Exception {
        CommandLines.output(commands, "discover");
        String mermaid = CommandLines.output(commands, "graph");
        assertTrue(mermaid.startsWith("flowchart LR"), mermaid);
        assertTrue(mermaid.contains("r_service --> r_core"), mermaid);
        assertTrue(mermaid.contains("r_ping == cycle ==> r_pong"), mermaid);
        assertTrue(mermaid.contains("r_pong -.-> r_unknown_ghost[\"ghost (unknown)\"]"), mermaid);
        assertTrue(mermaid.contains("r_ping[\"ping (cycle)\"]"), mermaid);
        String dot = CommandLines.output(commands, "graph", "--format", "dot");
        assertTrue(dot.contains("\"ping\" -> \"pong\" [color=red];"), dot);
        assertTrue(dot.contains("\"pong\" -> \"ghost (unknown)\" [style=dashed];"), dot);
        JsonNode json = JSON.readTree(CommandLines.output(commands, "graph", "--json"));
        assertEquals("[[\"ping\",\"pong\",\"ping\"]]", json.get("cycles").toString());
        assertEquals("[\"ghost\"]", json.get("unknown_dependencies").get("pong").toString());
        assertEquals("[[\"core\"],[\"service\"]]", json.get("levels").toString());
    }
}
