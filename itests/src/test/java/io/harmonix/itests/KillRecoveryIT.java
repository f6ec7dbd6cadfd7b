package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of the packaged runtime: a run of 400 short cycles is killed with SIGKILL at 25 different
 * instants, restarted each time (it resumes from its journal), and finally completes. Its committed cycles must be
 * 1..400, each once, in the run journal and in the index (which verifies after every restart), and the sample
 * agent's final state (whose fingerprint chains every cycle it saw) must equal
 * the one of an uninterrupted run.
 *
 * <p>Every runtime of the test boots the features the run is made of, {@value #FEATURES}: the runner, the run
 * journal, the store and the index (core) and the files agent (samples). The default features' other bundles
 * (workflow, fleet, enhance, waves, autonomy, console, ...) take no part in a cycle run and were three quarters of
 * every start (a run-mode start to "Harmonix running": 5.0-5.5 s with the defaults, 1.4-1.6 s with these two,
 * docs/performance.md "Test suite"); 25 of those starts made most of this test's time.
 */
class KillRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CYCLES = 400;
    private static final int KILLS = 25;
    private static final String FEATURES = "harmonix-core,harmonix-samples";
    /** What the runner logs when a start goes on with the interrupted run (RunnerComponent). */
    private static final String RESUMED = "resumed interrupted runs: [k]";

    @TempDir
    Path dir;

    @Test
    void killedAtRandomInstantsTheRunCompletesWithEveryCycleOnceAndTheSameFinalState() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        // a folder that does not change while the runs go, so that both runs see the same counts
        Files.writeString(runtime.home.resolve("etc/io.harmonix.agent.files.cfg"), "directory = system/features\n");
        Path crashed = dir.resolve("crashed");
        Path calm = dir.resolve("calm");

        PackagedRuntime.Result created = runtime.exec("cycle:run --id k --agents files --cycles " + CYCLES
                + " --interval 120ms", "--features", FEATURES, "--data", crashed.toString());
        assertEquals(0, created.exit(), created.toString());

        Random random = new Random(20261121);
        Set<Long> instants = new HashSet<>();
        List<String> log = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            long delay;
            do {
                // every other kill counted from launch, 0.3 to 3.3 s: over the start (boot, Derby recovery, the run
                // resumed; 1.4 s on a quiet machine, several on a loaded one) and the first cycles after it; the
                // others once the runtime's log says it resumed the run, so that they meet cycles however long a
                // start takes on a loaded machine (counted from launch alone, 25 kills met 1 cycle of 400 there;
                // counted from "Harmonix running", which these features print before the run resumes, 45)
                delay = i % 2 == 0 ? 300 + random.nextInt(3000) : random.nextInt(1200);
            } while (!instants.add(delay * 2 + i % 2));
            int resumedBefore = resumes(crashed);
            Process p = runtime.startToKill(dir, "--features", FEATURES, "--data", crashed.toString(), "run");
            PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
            new PackagedRuntime.Output(p.getErrorStream());
            if (i % 2 == 1) {
                awaitResumed(crashed, resumedBefore, out);
            }
            Thread.sleep(delay);
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            log.add("kill " + (i + 1) + " at " + delay + " ms after " + (i % 2 == 0 ? "launch" : "it resumed")
                    + " (exit " + p.exitValue() + ")");
            assertEquals(137, p.exitValue(), "killed by SIGKILL: " + out.text());
            // after every restart the index is whole: a torn tail is cut at open, every CRC and the tree check
            PackagedRuntime.Result verified = runtime.exec("index:verify", "--features", "harmonix-core", "--data",
                    crashed.toString());
            assertEquals(0, verified.exit(), String.join("\n", log) + "\n" + verified);
        }

        // the kills met a run that was going: it has progressed, and is not done
        PackagedRuntime.Result between = runtime.exec("cycle:runs --json", "--features", FEATURES, "--data",
                crashed.toString());
        JsonNode interrupted = JSON.readTree(between.out()).get(0);
        assertEquals("interrupted", interrupted.get("state").asText(), between.toString());
        long progressed = interrupted.get("completedCycles").asLong();
        // (sized so that a slower or faster machine still leaves the run part done: 400 cycles of 120 ms: a loaded
        // 2-core machine committed 320 of them across the kills at 60 ms)
        assertTrue(progressed >= 1 && progressed < CYCLES, "cycles committed across the kills: " + progressed);
        System.out.println("KillRecoveryIT: " + KILLS + " kills; " + progressed + " of " + CYCLES
                + " cycles committed across them; the rest after the last restart");

        PackagedRuntime.Result finished = runtime.exec("cycle:resume k; cycle:await k --timeout 5m", "--features",
                FEATURES, "--data", crashed.toString());
        assertEquals(0, finished.exit(), log + "\n" + finished);
        assertTrue(finished.out().contains("run k: completed, cycles " + CYCLES + "/" + CYCLES), finished.out());

        PackagedRuntime.Result shown = runtime.exec("cycle:show k --json", "--features", FEATURES, "--data",
                crashed.toString());
        assertEquals(0, shown.exit(), shown.toString());
        JsonNode run = JSON.readTree(shown.out());
        List<Long> cycles = new ArrayList<>();
        Set<String> cycleIds = new HashSet<>();
        List<String> notOk = new ArrayList<>();
        run.get("snapshots").forEach(s -> {
            cycles.add(s.get("cycle").asLong());
            cycleIds.add(s.get("cycleId").asText());
            s.get("agents").forEach(a -> {
                if (!a.get("status").asText().equals("ok")) {
                    notOk.add("cycle " + s.get("cycle").asLong() + ": " + a);
                }
            });
        });
        assertEquals(LongStream.rangeClosed(1, CYCLES).boxed().toList(), cycles, "contiguous, none repeated");
        // every cycle called the agent: one that found it absent (a restart, its configuration arriving) would
        // keep its state a cycle behind the uninterrupted run's
        assertEquals(List.of(), notOk, String.join("\n", log));
        assertEquals(CYCLES, cycleIds.size());

        // the index holds the same cycles, each once, in order, and verifies
        PackagedRuntime.Result replay = runtime.exec("index:replay k --json; index:verify", "--features", FEATURES,
                "--data", crashed.toString());
        assertEquals(0, replay.exit(), replay.toString());
        List<Long> indexed = new ArrayList<>();
        for (String line : replay.out().split("\n")) {
            if (line.startsWith("{")) {
                indexed.add(JSON.readTree(line).get("cycle").asLong());
            }
        }
        assertEquals(LongStream.rangeClosed(1, CYCLES).boxed().toList(), indexed, "indexed once each, in order");
        assertTrue(replay.out().contains("local: ok, " + CYCLES + " records"), replay.out());

        PackagedRuntime.Result baseline = runtime.exec("cycle:run --id k --agents files --cycles " + CYCLES
                + " --interval 0ms --wait", "--features", FEATURES, "--data", calm.toString());
        assertEquals(0, baseline.exit(), baseline.toString());

        JsonNode afterCrashes = finalState(runtime, crashed);
        JsonNode uninterrupted = finalState(runtime, calm);
        assertEquals(CYCLES, uninterrupted.get("cycles").asInt());
        assertEquals(uninterrupted, afterCrashes, String.join("\n", log));
    }

    /** @return how many times the runtimes of {@code data} logged that they resumed the run */
    private static int resumes(Path data) throws Exception {
        Path log = data.resolve("log/harmonix.log");
        if (!Files.exists(log)) {
            return 0;
        }
        // ISO-8859-1 reads any bytes: the last line of a killed runtime may end inside a character
        String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int at = text.indexOf(RESUMED); at >= 0; at = text.indexOf(RESUMED, at + 1)) {
            n++;
        }
        return n;
    }

    /** Waits (a minute at most) until the runtime just started has logged that it resumed the run. */
    private static void awaitResumed(Path data, int before, PackagedRuntime.Output out) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (resumes(data) <= before) {
            assertTrue(System.nanoTime() < end, "the run was not resumed within a minute:\n" + out.text());
            Thread.sleep(20);
        }
    }

    private static JsonNode finalState(PackagedRuntime runtime, Path data) throws Exception {
        PackagedRuntime.Result r = runtime.exec("state:show files k --json", "--features", FEATURES, "--data",
                data.toString());
        assertEquals(0, r.exit(), r.toString());
        JsonNode shown = JSON.readTree(r.out());
        assertEquals(CYCLES, shown.get("cycle").asInt());
        return shown.get("state");
    }
}
