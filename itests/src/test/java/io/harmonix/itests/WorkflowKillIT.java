package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable workflows on the packaged runtime: instances of a workflow with parallel branches, a loop and shell/exec
 * tasks are killed with SIGKILL at 20 instants and restarted; every instance finishes with the outputs of an
 * uninterrupted run, and no task runs again after its success was recorded (its processes log each start with
 * the task's idempotency key and the time; the history says when each task succeeded).
 *
 * <p>Every runtime of the test boots the features a workflow of shell tasks is made of, {@value #FEATURES}: the
 * default features' other bundles take no part in it and were most of each start (docs/performance.md "Test
 * suite"). The uninterrupted run goes on in a copy of its own while the kills go (its instances' tasks sleep: they
 * wait, they do not load the machine), instead of after them.
 */
class WorkflowKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = 20;
    private static final String FEATURES = "harmonix-core,harmonix-workflow";
    private static final String SCRIPT = "echo \"$HARMONIX_IDEMPOTENCY_KEY $(date +%s%N)\" >> \"$LOG\"; sleep 1; "
            + "echo \"$VALUE\"";

    @TempDir
    Path dir;

    private static String workflow() {
        return """
                name: crashy
                version: 1
                input:
                  log: {type: string}
                  base: {type: integer, default: 10}
                parallelism: 4
                tasks:
                  prepare:
                    component: shell
                    action: exec
                    input:
                      command: [sh, -c, '%1$s']
                      environment: {LOG: "${input.log}", VALUE: "${input.base}"}
                  left:
                    component: shell
                    action: exec
                    input:
                      command: [sh, -c, '%1$s']
                      environment: {LOG: "${input.log}", VALUE: "${item * tasks.prepare.output.stdout.trim()}"}
                    for_each: {items: [1, 2, 3, 4, 5, 6], parallelism: 2}
                    depends_on: [prepare]
                  right:
                    component: shell
                    action: exec
                    input:
                      command: [sh, -c, '%1$s']
                      environment: {LOG: "${input.log}", VALUE: "${iteration}"}
                    repeat: {until: "output.stdout.trim() == '5'", max: 10}
                    depends_on: [prepare]
                  join:
                    component: core
                    action: noop
                    input:
                      left: "${tasks.left.output.items}"
                      right: "${tasks.right.output.stdout.trim()}"
                    depends_on: [left, right]
                output:
                  left: ${tasks.join.output.left}
                  right: ${tasks.join.output.right}
                """.formatted(SCRIPT);
    }

    @Test
    void killedTwentyTimesEveryInstanceFinishesWithTheSameOutputsAndNoSucceededTaskRunsAgain() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(Files.createDirectories(dir.resolve("crashing")));
        // the uninterrupted run's own copy: one copy runs one data folder at a time on PostgreSQL (RuntimeStore)
        PackagedRuntime uninterrupted = PackagedRuntime.copyInto(Files.createDirectories(dir.resolve("uninterrupted")));
        // exec mode waits for the work it started before it stops (harmonix.exec.drain, 300 s): the instances would
        // all be done before the first kill, and the kills would meet nothing. Not waited for, they are cut by the
        // exec's stop (as by a crash) and go on in the runtimes the test kills.
        Files.writeString(runtime.home.resolve("etc/harmonix.properties"), "\nharmonix.exec.drain = 0\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path file = Files.writeString(dir.resolve("crashy.yaml"), workflow());
        Path crashed = dir.resolve("crashed");
        Path calm = dir.resolve("calm");
        Path crashedLog = dir.resolve("crashed.log");
        Path calmLog = dir.resolve("calm.log");

        List<String> ids = new ArrayList<>();
        PackagedRuntime.Result started = runtime.exec("wf:deploy " + file + "; wf:run crashy log=" + crashedLog
                + " --detach; wf:run crashy log=" + crashedLog + " base=7 --detach; wf:run crashy log=" + crashedLog
                + " base=3 --detach", "--features", FEATURES, "--data", crashed.toString());
        assertEquals(0, started.exit(), started.toString());
        for (String line : started.out().split("\n")) {
            if (line.startsWith("wf-")) {
                ids.add(line.trim());
            }
        }
        assertEquals(3, ids.size(), started.out());

        // the same workflows, uninterrupted, while the kills go
        java.util.concurrent.CompletableFuture<PackagedRuntime.Result> calmRun = new java.util.concurrent
                .CompletableFuture<>();
        Thread calmThread = new Thread(() -> {
            try {
                calmRun.complete(uninterrupted.exec("wf:deploy " + file + "; wf:run crashy log=" + calmLog
                        + " --json; wf:run crashy log=" + calmLog + " base=7 --json; wf:run crashy log=" + calmLog
                        + " base=3 --json", "--features", FEATURES, "--data", calm.toString()));
            } catch (Exception | AssertionError e) {
                calmRun.completeExceptionally(e);
            }
        }, "uninterrupted-run");
        calmThread.setDaemon(true); // its runtime stops with the test's JVM (--stop-with-parent), at most 2 min on
        calmThread.start();

        Random random = new Random(20261121);
        List<String> log = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            // every other kill during the start (boot, the database's recovery, the instances resumed), counted from
            // launch; the others once the runtime says it runs, so that they meet tasks under way however long a
            // start takes on a loaded machine (counted from launch alone, they met none there)
            long delay = i % 2 == 0 ? 500 + random.nextInt(2500) : random.nextInt(1500);
            Process p = runtime.startToKill(dir, "--features", FEATURES, "--data", crashed.toString(), "run");
            PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
            new PackagedRuntime.Output(p.getErrorStream());
            if (i % 2 == 1) {
                out.await("Harmonix running");
            }
            Thread.sleep(delay);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue());
            log.add("kill " + (i + 1) + " at " + delay + " ms after " + (i % 2 == 0 ? "launch" : "it ran"));
        }

        // whatever the kills left unfinished is resumed and awaited
        // the three instances' states asked in one exec (one start instead of three), answered in the order asked
        StringBuilder states = new StringBuilder();
        ids.forEach(id -> states.append("wf:instance ").append(id).append(" --json; "));
        PackagedRuntime.Result instances = runtime.exec(states.toString(), "--features", FEATURES, "--data",
                crashed.toString());
        assertEquals(0, instances.exit(), String.join("\n", log) + "\n" + instances);
        assertTrue(instances.out().startsWith("{"), "only the instances' JSON: " + instances);
        List<JsonNode> shown = instances.documents();
        assertEquals(ids.size(), shown.size(), "one document per instance: " + instances);
        StringBuilder finish = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            assertEquals(id, shown.get(i).get("id").asText(), "the answers in the order asked: " + instances);
            if (!shown.get(i).get("state").asText().equals("succeeded")) {
                finish.append("wf:resume ").append(id).append("; ");
            }
        }
        for (String id : ids) {
            finish.append("wf:instance ").append(id).append(" --await 3m; ");
        }
        PackagedRuntime.Result finished = runtime.exec(finish.toString(), "--features", FEATURES, "--data",
                crashed.toString());
        assertEquals(0, finished.exit(), String.join("\n", log) + "\n" + finished);

        PackagedRuntime.Result baseline = calmRun.get(3, TimeUnit.MINUTES);
        assertEquals(0, baseline.exit(), baseline.toString());
        List<JsonNode> expected = new ArrayList<>();
        for (String part : baseline.out().split("(?m)^(?=\\{)")) {
            if (part.startsWith("{")) {
                expected.add(JSON.readTree(part).get("output"));
            }
        }
        assertEquals(3, expected.size(), baseline.out());

        int rerun = 0;
        Map<String, List<Long>> starts = new HashMap<>();
        for (String line : Files.readAllLines(crashedLog)) {
            String[] kv = line.split(" ");
            starts.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(Long.parseLong(kv[1]));
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            PackagedRuntime.Result r = runtime.exec("wf:instance " + id + " --json; wf:history " + id
                    + " --json; wf:replay " + id, "--features", FEATURES, "--data", crashed.toString());
            assertEquals(0, r.exit(), r.toString());
            String[] parts = r.out().split("(?m)^(?=[\\[{])");
            JsonNode instance = JSON.readTree(parts[0]);
            JsonNode history = JSON.readTree(parts[1].substring(0, parts[1].lastIndexOf(']') + 1));
            assertEquals("succeeded", instance.get("state").asText());
            assertEquals(expected.get(i), instance.get("output"), "outputs of " + id);
            assertTrue(r.out().contains("instance " + id + ": the state rebuilt from"), r.out());
            // no process of a task started after that task's success was recorded
            Map<String, Long> succeededAt = new HashMap<>();
            for (JsonNode e : history) {
                if (e.get("kind").asText().equals("task.succeeded")) {
                    Instant at = Instant.parse(e.get("at").asText());
                    succeededAt.put(e.get("task").asText(), at.getEpochSecond() * 1_000_000_000L + at.getNano());
                }
                if (e.get("kind").asText().equals("task.started")) {
                    rerun++;
                }
            }
            for (var entry : starts.entrySet()) {
                String[] key = entry.getKey().split("/");
                if (!key[0].equals(id)) {
                    continue;
                }
                Long done = succeededAt.get(key[1]);
                assertTrue(done != null, "task " + key[1] + " of " + id + " succeeded");
                for (long t : entry.getValue()) {
                    assertTrue(t <= done, entry.getKey() + " started at " + t + " after its task succeeded at " + done
                            + "\n" + String.join("\n", log));
                }
            }
        }
        long repeated = starts.values().stream().filter(l -> l.size() > 1).count();
        // the kills met tasks under way (each task's process runs for a second, the instances for several): a test
        // whose kills all land on finished work proves nothing (it did so while exec waited for the instances)
        assertTrue(repeated > 0, "no kill cut a task: " + String.join("\n", log));
        System.out.println("WorkflowKillIT: " + KILLS + " kills; 3 instances finished with the uninterrupted "
                + "outputs; " + rerun + " task starts in their histories (4 per instance without kills); "
                + repeated + " idempotency keys whose process ran more than once (an attempt cut by a kill), none "
                + "after its task had succeeded");
    }
}
