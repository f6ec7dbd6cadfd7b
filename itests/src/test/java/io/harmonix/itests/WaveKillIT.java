package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wave on the packaged runtime killed with SIGKILL at eight instants while its cycles run and its proposals are
 * validated (the repository's build and tests take seconds, so kills meet them), restarted each time: the wave
 * resumes and completes, and no proposal is validated twice. The proof is in the records, not the logs: one
 * enhancement per proposal of the wave, each validated, each validation step recorded once, one decision in its
 * workflow instance's history.
 */
class WaveKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = 8;

    @TempDir
    Path dir;

    @Test
    void killedInTheMiddleOfAWaveItResumesAndNoProposalIsValidatedTwice() throws Exception {
        Path repo = WavesIT.repository(dir);
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        // the fleet's entry for the target: validation runs these in the sandbox; seconds each, so kills meet them
        Files.writeString(runtime.home.resolve("etc/repositories.json"), "{\"repositories\": [{\"name\": \"wv\", "
                + "\"path\": \"" + repo + "\", \"build_command\": \"sleep 1\", \"test_command\": "
                + "\"sleep 2 && test -f alpha/A.java\"}]}\n");
        PackagedRuntime.Result started = runtime.exec("repo:discover; wave:start --target " + repo + " --size small "
                + "--focus quality --cycles 4 --interval 3s --json");
        assertEquals(0, started.exit(), started.toString());
        String out = started.out();
        JsonNode wave = JSON.readTree(out.substring(out.lastIndexOf("\n{") + 1));
        String id = wave.path("id").asText();
        List<String> runs = new ArrayList<>(); // one per instance
        wave.path("instances").forEach(i -> runs.add(i.path("runId").asText()));
        assertTrue(id.startsWith("w-"), out);
        assertTrue(runs.size() >= 3 && runs.stream().allMatch(r -> r.startsWith("wave-" + id + "-")), out);

        Random random = new Random(20261126);
        List<String> log = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            // a boot takes 2 to 4.5 s here: up to 12 s meets cycles (a few seconds each) and validations alike
            long delay = 3000 + random.nextInt(9000);
            Process p = runtime.startToKill(dir, "run");
            new PackagedRuntime.Output(p.getInputStream());
            new PackagedRuntime.Output(p.getErrorStream());
            Thread.sleep(delay);
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue());
            log.add("kill " + (i + 1) + " at " + delay + " ms");
        }

        // what the kills left unfinished goes on: the wave's runs, then the validations
        StringBuilder resume = new StringBuilder();
        StringBuilder awaitRuns = new StringBuilder();
        for (String run : runs) {
            JsonNode runNow = JSON.readTree(runtime.exec("cycle:show " + run + " --json").out());
            if (!runNow.path("state").asText().equals("completed")) {
                resume.append("cycle:resume ").append(run).append("; ");
                awaitRuns.append("cycle:await ").append(run).append(" --timeout 5m; ");
            }
        }
        String finish = resume + awaitRuns.toString() + "wave:show " + id;
        PackagedRuntime.Result resumed = runtime.exec(finish);
        assertEquals(0, resumed.exit(), String.join("\n", log) + "\n" + resumed);
        PackagedRuntime.Result listed = runtime.exec("enhance:proposals --json");
        assertEquals(0, listed.exit(), listed.toString());
        JsonNode enhancements = JSON.readTree(listed.out());
        assertTrue(enhancements.size() >= 1, "the wave's proposals are in the ledger: " + listed.out());
        StringBuilder states = new StringBuilder();
        for (JsonNode e : enhancements) {
            String instance = e.path("workflowInstance").asText();
            assertFalse(instance.isEmpty(), "every proposal's validation started: " + e);
            states.append("wf:instance ").append(instance).append(" --json; ");
        }
        // the questions of one kind in one exec (each a start of the default features: 4 to 6 s on a loaded
        // machine), their answers in the order asked
        List<JsonNode> stateOf = answers(runtime, states, enhancements.size());
        StringBuilder await = new StringBuilder();
        for (int i = 0; i < enhancements.size(); i++) {
            if (!stateOf.get(i).path("state").asText().equals("succeeded")) {
                await.append("wf:resume ").append(enhancements.get(i).path("workflowInstance").asText())
                        .append("; ");
            }
        }
        for (JsonNode e : enhancements) {
            await.append("wf:instance ").append(e.path("workflowInstance").asText()).append(" --await 3m; ");
        }
        PackagedRuntime.Result validated = runtime.exec(await.toString());
        assertEquals(0, validated.exit(), String.join("\n", log) + "\n" + validated);

        StringBuilder ending = new StringBuilder("wave:show " + id + " --json; ");
        runs.forEach(r -> ending.append("cycle:show ").append(r).append(" --json; "));
        ending.append("enhance:proposals --json");
        List<JsonNode> end = answers(runtime, ending, runs.size() + 2);
        JsonNode report = end.get(0);
        assertEquals("completed", report.path("wave").path("status").asText(), String.join("\n", log) + "\n"
                + report);
        for (int i = 0; i < runs.size(); i++) {
            JsonNode shown = end.get(1 + i);
            assertEquals(runs.get(i), shown.path("runId").asText(), "the answers in the order asked: " + end);
            assertEquals(4, shown.path("completedCycles").asInt(), "every cycle of each run of the wave, once");
        }
        Set<String> fingerprints = new HashSet<>();
        report.path("proposals").forEach(p -> fingerprints.add(p.path("fingerprint").asText()));

        // one enhancement per proposal of the wave, each validated once
        JsonNode after = end.get(runs.size() + 1);
        StringBuilder each = new StringBuilder();
        after.forEach(e -> each.append("enhance:proposal ").append(e.path("id").asText()).append(" --json; "));
        List<JsonNode> ones = answers(runtime, each, after.size());
        StringBuilder histories = new StringBuilder();
        ones.forEach(one -> histories.append("wf:history ").append(one.path("workflowInstance").asText())
                .append(" --json; "));
        List<JsonNode> historyOf = answers(runtime, histories, ones.size());
        Set<String> recorded = new HashSet<>();
        for (int i = 0; i < after.size(); i++) {
            JsonNode e = after.get(i);
            String eid = e.path("id").asText();
            assertTrue(recorded.add(e.path("fingerprint").asText()), "one enhancement per fingerprint: " + after);
            assertEquals(id, e.path("waveId").asText());
            JsonNode one = ones.get(i);
            assertEquals(eid, one.path("id").asText(), "the answers in the order asked: " + ones);
            assertEquals("validated", one.path("status").asText(), one.toString());
            List<String> steps = new ArrayList<>();
            one.path("validation").forEach(s -> steps.add(s.path("name").asText()));
            assertEquals(List.of("prepare", "build", "tests", "agent", "benchmark"), steps,
                    "each step recorded once: " + one);
            JsonNode history = historyOf.get(i);
            int decisions = 0;
            for (JsonNode h : history) {
                if (h.path("kind").asText().equals("task.succeeded") && h.path("task").asText().equals("decide")) {
                    decisions++;
                }
            }
            assertEquals(1, decisions, "one decision of " + eid + ": " + history);
        }
        assertEquals(fingerprints, recorded, "every proposal of the wave, and no other, is in the ledger");
        System.out.println("WaveKillIT: " + KILLS + " kills (" + String.join(", ", log) + "); " + recorded.size()
                + " proposals, each validated once");
    }

    /**
     * Runs {@code commands} (each printing one JSON document) in one exec of the runtime; @return their documents
     * in order, checked to be {@code count}
     */
    private static List<JsonNode> answers(PackagedRuntime runtime, CharSequence commands, int count)
            throws Exception {
        PackagedRuntime.Result r = runtime.exec(commands.toString());
        assertEquals(0, r.exit(), r.toString());
        List<JsonNode> all = r.documents();
        assertEquals(count, all.size(), "one JSON document per command of " + commands + ":\n" + r);
        return all;
    }
}
