package io.harmonix.fleet.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.internal.FleetTesting;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/fleet.md's example run as written: its shell block makes the repositories in a fresh home, its manifest is
 * valid against docs/formats/repositories.schema.json, discovery finds what the page says, and the commands print
 * what the page shows (but for commit ids, times and paths, which differ on every machine).
 */
class FleetDocsTest {
    @TempDir
    Path dir;
    private FleetTesting fleet;
    private List<String> blocks;

    @BeforeEach
    void open() throws Exception {
        fleet = FleetTesting.open(dir);
        blocks = codeBlocks(Files.readAllLines(docs().resolve("fleet.md")));
    }

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void theExampleRunsAsWrittenAndPrintsWhatThePageShows() throws Exception {
        runShell(block("sh", "set -e"));
        String manifest = block("json", "{\n  \"repositories\"");
        assertEquals(List.of(), FleetTesting.schemaErrors("repositories.schema.json",
                new ObjectMapper().readTree(manifest)));
        Files.writeString(Files.createDirectories(fleet.home().resolve("etc")).resolve("repositories.json"),
                manifest);
        RepoCommands commands = Commands.over(new RepoCommands(), fleet.fleet());

        String discover = CommandLines.output(commands, "discover");
        String shown = block("", "g! repo:discover");
        assertEquals(withoutTimes(lines(shown)), withoutTimes(discover.strip()));
        DiscoveryReport r = fleet.fleet().lastDiscovery().orElseThrow();
        assertEquals(List.of(), r.problems());

        String list = CommandLines.output(commands, "list");
        assertEquals(withoutHeads(lines(block("", "g! repo:list"))), withoutHeads(list.strip()));

        String show = CommandLines.output(commands, "show", "service");
        assertEquals(withoutMachine(lines(block("", "g! repo:show service"))), withoutMachine(show.strip()));

        assertEquals(lines(block("", "g! repo:graph")), CommandLines.output(commands, "graph").strip());

        // the mistake the page shows, answered as it says
        Files.writeString(fleet.home().resolve("etc/repositories.json"), manifest.replace(
                "\"language\": \"java\"}", "\"language\": \"java\", \"build_command\": \"make build\"}"));
        String problem = block("", "  problems (1):");
        String out = CommandLines.output(commands, "discover");
        assertTrue(out.contains(problem.strip()), out);
    }

    /** The block's text without its first line (the g! command). */
    private static String lines(String block) {
        return block.substring(block.indexOf('\n') + 1).strip();
    }

    private static String withoutTimes(String s) {
        return s.replaceAll("at 20\\S+Z", "at TIME");
    }

    private static String withoutHeads(String s) {
        return s.replaceAll("[0-9a-f]{12}", "HEAD");
    }

    private static String withoutMachine(String s) {
        return withoutTimes(s).replaceAll("(?m)^(path|head|discovered at): .*$", "$1: ...");
    }

    private void runShell(String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).directory(fleet.home().toFile())
                .redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", Files.createDirectories(dir.resolve("user")).toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    /** The first fenced block of that language whose text starts with {@code start}. */
    private String block(String language, String start) {
        return blocks.stream().filter(b -> b.startsWith(language + "\n") && b.substring(language.length() + 1)
                .startsWith(start)).map(b -> b.substring(language.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("docs/fleet.md has no ```" + language + " block starting "
                        + start));
    }

    /** Fenced blocks as "LANGUAGE\nTEXT". */
    private static List<String> codeBlocks(List<String> markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder b = null;
        for (String line : markdown) {
            if (line.startsWith("```")) {
                if (b == null) {
                    b = new StringBuilder(line.substring(3).trim()).append('\n');
                } else {
                    blocks.add(b.toString());
                    b = null;
                }
            } else if (b != null) {
                b.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static Path docs() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/fleet.md"))) {
            p = p.getParent();
        }
        return p.resolve("docs");
    }
}
