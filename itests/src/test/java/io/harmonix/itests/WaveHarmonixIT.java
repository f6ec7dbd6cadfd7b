package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the packaged runtime: {@code wave:start --size small} over a clone of Harmonix's own repository (the
 * one this test runs from) makes a validated proposal on a branch whose tests pass, the validation's build and tests
 * being Maven, offline, in the sandbox, restricted to the module the proposal touches.
 *
 * <p>Harmonix's own code has no finding of the quality agent that it can fix (its build keeps it so), so one is
 * planted in the clone before the wave, honestly: an unused import in {@code bundles/agent-files}, a module of two
 * classes and one test class, so that its validation takes a minute rather than the whole suite's half hour. The
 * wave covers three small modules ({@code --components}); whatever else the agent proposes there is validated too.
 *
 * <p>What makes Maven work in the sandbox, which hides the runtime user's home and has no network: the sandbox's
 * {@code readOnlyPaths = ~/.m2/repository} (the local repository seen again, read-only, by an offline build), and
 * the repository's commands naming {@code $HARMONIX_MODULES} (the modules the proposal touches). It prints the
 * figures of docs/performance.md ("Enhancement waves on Harmonix"); it took 98 s on the shared 2-core machine (the
 * wave's analysis 14 s, the one validation 27 s, of which Maven 23 s; the rest the runtime's boots).
 */
class WaveHarmonixIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLANTED_IN = "bundles/agent-files/src/main/java/io/harmonix/agent/files/"
            + "FileStatsAgent.java";

    @TempDir
    Path dir;

    @Test
    void aSmallWaveOverACopyOfHarmonixMakesAValidatedProposalOnABranchWhoseTestsPass() throws Exception {
        Path clone = harmonixClone();
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        String modules = "${HARMONIX_MODULES:+-pl $HARMONIX_MODULES}";
        Files.writeString(runtime.home.resolve("etc/repositories.json"), "{\"repositories\": [{\"name\": "
                + "\"harmonix\", \"path\": \"" + clone + "\", \"build_command\": \"mvn -B -q -o " + modules
                + " compile\", \"test_command\": \"mvn -B -o " + modules + " test\"}]}\n");
        Path sandbox = runtime.home.resolve("etc/io.harmonix.fleet.sandbox.cfg");
        String shipped = Files.readString(sandbox);
        assertTrue(shipped.contains("\nreadOnlyPaths =\n"), shipped);
        Files.writeString(sandbox, shipped.replace("\nreadOnlyPaths =\n", "\nreadOnlyPaths = ~/.m2/repository\n"));

        // the quality agent's first analysis of real modules in a fresh JVM (PMD loading its rules) may take longer
        // than the runner's default 30 s per cycle on a loaded 2-core machine
        Files.writeString(runtime.home.resolve("etc/io.harmonix.waves.cfg"), "deadline = 5m\n");

        Instant started = Instant.now();
        PackagedRuntime.Result wave = runtime.run(runtime.home, Duration.ofMinutes(40), "exec", "repo:discover; "
                + "wave:start --target " + clone + " --size small --focus quality --components bundles/agent-files,"
                + "bundles/config,bundles/fleet-api --cycles 1 --wait --json; enhance:proposals --await 30m --json");
        assertEquals(0, wave.exit(), wave.toString());
        Instant ended = Instant.now();
        List<JsonNode> lines = JSON.readerFor(JsonNode.class).<JsonNode>readValues(new ByteArrayInputStream(
                wave.out().substring(wave.out().indexOf('{')).getBytes(StandardCharsets.UTF_8))).readAll();
        JsonNode report = lines.get(lines.size() - 2);
        JsonNode enhancements = lines.get(lines.size() - 1);
        assertEquals("completed", report.path("wave").path("status").asText(), report.toString());
        assertEquals(3, report.path("wave").path("instances").size(), "one quality agent per module");

        JsonNode planted = null;
        int validated = 0;
        for (JsonNode e : enhancements) {
            validated += e.path("status").asText().equals("validated") ? 1 : 0;
            if (e.path("ruleId").asText().equals("UnnecessaryImport") && e.path("component").asText()
                    .equals("bundles/agent-files")) {
                planted = e;
            }
        }
        assertTrue(planted != null, "the planted unused import was proposed: " + enhancements);
        String id = planted.path("id").asText();
        JsonNode one = JSON.readTree(runtime.exec("enhance:proposal " + id + " --json").out());
        assertEquals("validated", one.path("status").asText(), one.toString());
        assertEquals("harmonix/enhance/" + id, one.path("branch").asText());

        // the branch holds the fix, and its tests passed: the check record of the tests step says so
        String onBranch = git(clone, "show", one.path("branch").asText() + ":" + PLANTED_IN);
        assertTrue(!onBranch.contains("import java.util.concurrent.ConcurrentSkipListSet;"), onBranch);
        Map<String, Long> steps = new LinkedHashMap<>();
        Map<String, Long> commands = new LinkedHashMap<>();
        for (JsonNode s : one.path("validation")) {
            steps.put(s.path("name").asText(), s.path("durationMillis").asLong());
            if (s.path("checkId").isNumber()) {
                JsonNode check = JSON.readTree(runtime.exec("repo:check " + s.path("checkId").asLong()
                        + " --log --json").out());
                assertEquals(one.path("resultCommit").asText(), check.path("commit").asText());
                assertTrue(check.path("passed").asBoolean(), check.toString());
                assertTrue(check.path("command").asText().contains("mvn"), check.toString());
                commands.put(s.path("name").asText(), check.path("durationMillis").asLong());
                if (s.path("name").asText().equals("tests")) {
                    String log = check.path("log").asText();
                    assertTrue(log.contains("Tests run:") && log.contains("Failures: 0, Errors: 0")
                            && log.contains("BUILD SUCCESS"), log);
                    assertTrue(log.contains("io.harmonix.agent.files") && !log.contains("io.harmonix.runner"),
                            "only the module the proposal touches: " + log);
                }
            }
        }
        assertEquals(List.of("prepare", "build", "tests", "agent", "benchmark"), List.copyOf(steps.keySet()));
        assertEquals(clone.toRealPath().toString(), Path.of(one.path("repositoryPath").asText()).toRealPath()
                .toString());
        assertTrue(git(clone, "rev-parse", "HEAD").strip().equals(git(clone, "rev-parse", "main").strip()),
                "main is not moved");

        // the wave's runs (one per instance): from the first one's start to the last one's end
        Instant first = null;
        Instant last = null;
        for (JsonNode instance : report.path("wave").path("instances")) {
            JsonNode run = JSON.readTree(runtime.exec("cycle:show " + instance.path("runId").asText() + " --json")
                    .out());
            Instant from = Instant.parse(run.path("startedAt").asText());
            Instant to = Instant.parse(run.path("endedAt").asText());
            first = first == null || from.isBefore(first) ? from : first;
            last = last == null || to.isAfter(last) ? to : last;
        }
        long analysis = Duration.between(first, last).toMillis();
        double hours = Duration.between(started, ended).toMillis() / 3_600_000.0;
        System.out.println(String.format(Locale.ROOT, "WaveHarmonixIT figures: %d proposals, %d validated in %.1f "
                + "min from wave:start to the last decision (%.1f validated per hour, validations one after "
                + "another); the wave's runs (agent analysis, 3 quality agents, 1 cycle, a run each) %.1f s; the "
                + "planted proposal's steps (ms) %s, of which the Maven commands (ms) %s; the rest of build and tests is "
                + "the worktree", enhancements.size(), validated, hours * 60, validated / hours, analysis / 1000.0,
                steps, commands));
    }

    /**
     * A clone of the repository this test runs from (the itests folder's parent), at its HEAD, with the planted
     * finding committed on main.
     */
    private Path harmonixClone() throws Exception {
        Path project = Path.of(System.getProperty("harmonix.docs", "../docs")).toAbsolutePath().normalize()
                .getParent();
        Path clone = dir.resolve("harmonix");
        git(dir, "clone", "-q", "--no-local", project.toString(), clone.toString());
        git(clone, "checkout", "-q", "-B", "main");
        Path file = clone.resolve(PLANTED_IN);
        String source = Files.readString(file);
        int firstImport = source.indexOf("\nimport ");
        assertTrue(firstImport > 0, "an import to plant beside: " + file);
        Files.writeString(file, source.substring(0, firstImport + 1)
                + "import java.util.concurrent.ConcurrentSkipListSet;\n" + source.substring(firstImport + 1));
        git(clone, "commit", "-q", "-am", "plant an unused import for the wave to find");
        return clone;
    }

    private static String git(Path in, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c",
                "user.email=test@example.org"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + ": " + out);
        }
        return out;
    }
}
