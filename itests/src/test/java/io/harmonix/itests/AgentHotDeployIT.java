package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enhancement agent bundle dropped into deploy/ of a running runtime: its configured instance joins the next
 * cycle of a run of every agent and reports findings; the bundle taken out of deploy/, the instance leaves the run,
 * which goes on; the index keeps the cycles with its findings.
 */
class AgentHotDeployIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT_JAR = "io.harmonix.agent.quality-0.1.0-SNAPSHOT.jar";

    @TempDir
    Path dir;

    @Test
    void theQualityAgentDroppedIntoDeployJoinsTheRunAndLeavesWhenRemoved() throws Exception {
        Path target = repository();
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        // the runtime without the agent bundle in its features: it comes by deploy/ only
        Path feature = runtime.home.resolve("system/features/harmonix-enhance.json");
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(feature)) {
            if (!line.contains("io.harmonix.agent.quality:")) {
                kept.add(line);
            }
        }
        Files.write(feature, kept);
        Path jar;
        try (var found = Files.walk(runtime.home.resolve("system"))) {
            jar = found.filter(p -> p.getFileName().toString().equals(AGENT_JAR)).findFirst().orElseThrow();
        }
        Files.writeString(runtime.home.resolve("etc/io.harmonix.agent.quality-hot.cfg"), "target = " + target
                + "\n");

        Process shell = runtime.start(dir, "shell");
        PackagedRuntime.Output out = new PackagedRuntime.Output(shell.getInputStream());
        new PackagedRuntime.Output(shell.getErrorStream());
        OutputStream in = shell.getOutputStream();
        try {
            out.await("Welcome to Apache Felix Gogo");
            send(in, "cycle:run --id hot --cycles forever --interval 200ms");
            out.await("started run hot");
            assertTrue(until(in, out, "agent:list", a -> a.contains("files ") && !a.contains("quality.hot"), 10),
                    "no quality agent before the drop:\n" + out.text());

            Path staged = Files.copy(jar, dir.resolve(AGENT_JAR));
            Files.move(staged, runtime.home.resolve("deploy").resolve(AGENT_JAR), StandardCopyOption.ATOMIC_MOVE);
            assertTrue(until(in, out, "enhance:findings --run hot --agent quality.hot",
                    a -> a.contains("UnnecessaryImport"), 60),
                    "the dropped agent's instance reports its finding in the run:\n" + out.text());

            Files.delete(runtime.home.resolve("deploy").resolve(AGENT_JAR));
            assertTrue(until(in, out, "agent:list", a -> a.contains("files ") && !a.contains("quality.hot"), 30),
                    "the agent left with its bundle:\n" + out.text());
            // a few cycles of the run without it
            int from = out.text().length();
            send(in, "cycle:stop hot");
            out.await("run hot: stopped");
            assertTrue(out.text().length() > from);
            send(in, "exit");
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS), out.text());
        } finally {
            shell.destroyForcibly();
            shell.waitFor(30, TimeUnit.SECONDS);
        }

        // the index kept the cycles the agent was in; the run went on after it left, without it
        PackagedRuntime.Result replay = runtime.exec("index:replay hot --json");
        assertEquals(0, replay.exit(), replay.toString());
        List<JsonNode> cycles = new ArrayList<>();
        for (String line : replay.out().split("\n")) {
            if (line.startsWith("{")) {
                cycles.add(JSON.readTree(line));
            }
        }
        assertTrue(cycles.stream().anyMatch(c -> c.toString().contains("UnnecessaryImport")), replay.out());
        assertFalse(cycles.get(cycles.size() - 1).toString().contains("quality.hot"),
                "the last cycle is without the agent: " + cycles.get(cycles.size() - 1));
        assertTrue(cycles.stream().allMatch(c -> c.toString().contains("\"files\"")), "the run never broke off");
    }

    /** A git repository with one Java file that has an unused import. */
    private Path repository() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("app/src"));
        Files.writeString(repo.resolve("A.java"), "import java.util.List;\n\nclass A {\n}\n");
        Path root = repo.getParent();
        for (List<String> git : List.of(List.of("init", "-q"), List.of("add", "-A"),
                List.of("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "one"))) {
            List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
            command.addAll(git);
            Process p = new ProcessBuilder(command).inheritIO().start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), String.join(" ", command));
        }
        return root;
    }

    private static void send(OutputStream in, String command) throws Exception {
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Sends {@code command} every second until its answer satisfies {@code answered}, at most {@code seconds} times:
     * polls the state of a running runtime by asking it, not by sleeping a guessed time.
     */
    private static boolean until(OutputStream in, PackagedRuntime.Output out, String command,
            Predicate<String> answered, int seconds) throws Exception {
        for (int i = 0; i < seconds; i++) {
            int from = out.text().length();
            send(in, command);
            Thread.sleep(1000);
            if (answered.test(out.text().substring(from))) {
                return true;
            }
        }
        return false;
    }
}
