package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small wave on the packaged runtime: its instances are factory configurations in Configuration Admin that DS
 * makes into real quality agents (the first one taking over the type's unconfigured instance), the runner runs them,
 * their findings are merged, and at the end no configuration of the wave is left.
 */
class WavesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSmallWaveOfQualityAgentsRunsOverThreeComponentsAndLeavesNothingBehind() throws Exception {
        Path repo = repository(dir);
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);

        PackagedRuntime.Result wave = runtime.exec("wave:start --target " + repo + " --size small --focus quality "
                + "--cycles 2 --wait --json");
        assertEquals(0, wave.exit(), wave.toString());
        List<JsonNode> lines = JSON.readerFor(JsonNode.class).<JsonNode>readValues(
                new ByteArrayInputStream(wave.out().getBytes(StandardCharsets.UTF_8))).readAll();
        JsonNode report = lines.get(lines.size() - 1);
        assertEquals("completed", report.path("wave").path("status").asText(), report.toString());
        assertEquals(3, report.path("wave").path("instances").size(), "one per component: alpha, beta, gamma");
        assertTrue(lines.stream().anyMatch(l -> l.path("doing").asText().startsWith("cycle ")), wave.out());
        List<String> rules = report.path("findings").findValuesAsText("ruleId");
        assertTrue(rules.containsAll(List.of("UnnecessaryImport", "UnusedPrivateField", "UnusedLocalVariable")),
                report.toString());
        assertEquals(3, report.path("proposals").size(), report.toString());

        PackagedRuntime.Result after = runtime.exec("wave:agents; agent:list");
        assertEquals(0, after.exit(), after.toString());
        assertTrue(after.out().contains("no agent instance is active"), after.out());
        assertTrue(!after.out().contains(".w-"), "no instance of the wave is left: " + after.out());
        assertTrue(after.out().contains("quality "), "the type's own instance is back: " + after.out());
    }

    /** A repository of three components, each with a finding of the quality agent that it can fix. */
    static Path repository(Path dir) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(repo.resolve("alpha"));
        Files.createDirectories(repo.resolve("beta"));
        Files.createDirectories(repo.resolve("gamma"));
        Files.writeString(repo.resolve("alpha/A.java"), "import java.util.List;\nclass A {\n    private int unused;\n}\n");
        Files.writeString(repo.resolve("beta/B.java"), "import java.util.Map;\nclass B {\n}\n");
        Files.writeString(repo.resolve("gamma/G.java"), "class G {\n    void f() { int x = 1; }\n}\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "first");
        return repo;
    }

    static void git(Path repo, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + ": " + out);
        }
    }
}
