package io.harmonix.runner.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.runner.internal.JournalGate;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.testing.StateFixture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Durable cycles per second of the runner as a runtime runs them: two trivial agents, the run journal on embedded
 * Derby and the index on files (its defaults: {@code sync=group}), in a temporary folder; 1 run, then 8 runs
 * together. Beside them, measured by the same program in the same folder and the same minute, the physical limit:
 * 4 KiB appends each forced to the device ({@code FileChannel.force}), one writer. And, to tell what bounds one
 * run, the two durable parts of a cycle alone, one writer each, on the same journal and index: checkpoints of
 * ready-made snapshots of the same shape (the journal's commit point: one transaction, one synced log write), and
 * records of such snapshots in the index, each waiting for the one before to be durable (as a run's do).
 *
 * <p>Method: warm-up rounds first (each one 1 run, then 8 runs, as measured), so that the JIT has compiled the
 * engine's, Derby's and the index's paths before anything counts (one warm-up round was not enough: the workflow
 * benchmarks measured that way went from 2 254 to 3 626 tasks/s between their 1st and 8th round in one JVM); then
 * measured rounds, each one the raw synced-append rate, 1 run, 8 runs, in turn, so that every rate has its limit
 * measured in the same seconds; the medians of those rounds, and their ratios, are printed. Ratios to that limit
 * are what to compare across machines and windows.
 *
 * <p>Arguments: cycles of the one run (default 3000; 8 runs do a quarter each), warm-up rounds (default 8),
 * measured rounds (default 9).
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} in bundles/runner, or {@code java -cp ...
 * io.harmonix.runner.bench.DurableCycleBenchmark 3000 8 9} (figures in docs/performance.md).
 */
public final class DurableCycleBenchmark {
    private DurableCycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int warmRounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "harmonix-durable");
        System.out.printf(Locale.ROOT, "durable cycles in %s, 2 trivial agents, %d cores, Java %s; %d cycles, "
                + "%d warm-up rounds, %d measured%n", dir, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), cycles, warmRounds, rounds);
        try {
            measureIn(dir, cycles, warmRounds, rounds);
        } finally {
            deleteRecursively(dir); // its journal and index hold a few hundred MB after a run of it
        }
    }

    private static void measureIn(Path dir, int cycles, int warmRounds, int rounds) throws Exception {
        Agent trivial = ctx -> AgentResult.of(IntNode.valueOf(ctx.firstCycle() ? 1 : ctx.previousState().asInt() + 1));
        JournalGate gate = new JournalGate();
        try (StateFixture state = StateFixture.open(dir.resolve("derby"), id -> null);
                IndexFixture index = IndexFixture.open(dir.resolve("index"), System.out::println)) {
            gate.set(state.journal());
            RunEngine engine = new RunEngine(new RunnerSettings(8, Duration.ofSeconds(30), 10, false),
                    RunnerLog.console(), gate);
            for (int i = 0; i < 2; i++) {
                engine.addAgent(new AgentInfo("trivial-" + i, "bench", 0, "bench"), trivial, i);
            }
            engine.addRecorder(index.recorder());
            engine.addListener(e -> { }, "bench-listener");
            for (int w = 0; w < warmRounds; w++) {
                double one = measure(engine, "warm" + w + "-one", 1, cycles);
                double eight = measure(engine, "warm" + w + "-eight", 8, cycles / 4);
                System.out.printf(Locale.ROOT, "warm-up %d: 1 run %.0f cycles/s, 8 runs %.0f cycles/s%n", w + 1,
                        one, eight);
            }
            for (int w = 0; w < warmRounds; w++) {
                checkpointsAlone(state.journal(), "warm-checkpoints" + w, cycles);
                recordsAlone(index.recorder(), "warm-records" + w, cycles);
            }
            double[] raw = new double[rounds];
            double[] one = new double[rounds];
            double[] eight = new double[rounds];
            double[] checkpoints = new double[rounds];
            double[] records = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                raw[r] = syncedAppends(dir, 1000);
                one[r] = measure(engine, "one" + r, 1, cycles);
                eight[r] = measure(engine, "eight" + r, 8, cycles / 4);
                checkpoints[r] = checkpointsAlone(state.journal(), "checkpoints" + r, cycles);
                records[r] = recordsAlone(index.recorder(), "records" + r, cycles);
                System.out.printf(Locale.ROOT, "round %d: raw synced appends %.0f/s, 1 run %.0f cycles/s (%.2f), "
                        + "8 runs %.0f cycles/s (%.2f); checkpoints alone %.0f/s, index records alone %.0f/s%n",
                        r + 1, raw[r], one[r], one[r] / raw[r], eight[r], eight[r] / raw[r], checkpoints[r],
                        records[r]);
            }
            engine.close(Duration.ofSeconds(10));
            double rawM = median(raw);
            double oneM = median(one);
            double eightM = median(eight);
            System.out.printf(Locale.ROOT, "raw synced 4 KiB appends, 1 writer: %.0f/s (median; %.0f-%.0f)%n", rawM,
                    min(raw), max(raw));
            System.out.printf(Locale.ROOT, "durable cycles, 1 run: %.0f/s (median; %.0f-%.0f; %.2f of raw)%n", oneM,
                    min(one), max(one), oneM / rawM);
            System.out.printf(Locale.ROOT, "durable cycles, 8 runs: %.0f/s in all (median; %.0f-%.0f; %.2f of raw; "
                    + "%.1fx one run)%n", eightM, min(eight), max(eight), eightM / rawM, eightM / oneM);
            double checkpointsM = median(checkpoints);
            double recordsM = median(records);
            System.out.printf(Locale.ROOT, "the journal's checkpoints alone, 1 writer: %.0f/s (median; %.0f-%.0f); "
                    + "1 run is %.2f of it%n", checkpointsM, min(checkpoints), max(checkpoints), oneM / checkpointsM);
            System.out.printf(Locale.ROOT, "the index's records alone, 1 run's order: %.0f/s (median; %.0f-%.0f)%n",
                    recordsM, min(records), max(records));
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** @return cycles per second of {@code runs} runs of {@code cycles} each, all together */
    private static double measure(RunEngine engine, String prefix, int runs, int cycles) throws InterruptedException {
        long t0 = System.nanoTime();
        List<RunInfo> started = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            started.add(engine.start(new RunRequest(prefix + "-" + i, List.of(), cycles, Duration.ZERO, null, null)));
        }
        for (RunInfo run : started) {
            RunInfo done = engine.await(run.runId(), Duration.ofMinutes(10));
            if (done.state() != RunState.COMPLETED) {
                throw new IllegalStateException("run " + run.runId() + " ended " + done.state() + ": "
                        + done.message());
            }
        }
        return (double) runs * cycles / ((System.nanoTime() - t0) / 1e9);
    }

    /** A snapshot as a cycle of the benchmark's run makes it: two agents, each with a number as its state. */
    private static CycleSnapshot snapshot(String runId, long cycle) {
        Instant now = Instant.now();
        List<AgentEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            entries.add(new AgentEntry("trivial-" + i, "bench", AgentStatus.OK,
                    CycleSnapshots.digest(IntNode.valueOf((int) cycle)), JsonNodeFactory.instance.objectNode(),
                    Map.of(), 0, null));
        }
        return new CycleSnapshot(CycleSnapshot.SCHEMA_VERSION, runId, cycle, CycleSnapshot.cycleIdOf(runId, cycle),
                now, now, CycleStatus.of(2, 0), entries, Map.of("agents", 2.0, "failed", 0.0, "durationMillis", 0.0));
    }

    /** @return checkpoints per second of one run's cycles in the journal, one after the other, nothing else */
    private static double checkpointsAlone(RunJournal journal, String runId, int cycles) throws IOException {
        journal.createRun(runId, JsonNodeFactory.instance.objectNode(), 1, null);
        List<CycleSnapshot> ready = new ArrayList<>();
        for (int c = 1; c <= cycles; c++) {
            ready.add(snapshot(runId, c));
        }
        long t0 = System.nanoTime();
        for (CycleSnapshot s : ready) {
            journal.checkpoint(s, List.of(new AgentCheckpoint("trivial-0", 0, IntNode.valueOf((int) s.cycle())),
                    new AgentCheckpoint("trivial-1", 0, IntNode.valueOf((int) s.cycle()))));
        }
        return cycles / ((System.nanoTime() - t0) / 1e9);
    }

    /** @return records per second of one run's cycles in the index, as the runner hands them over, nothing else */
    private static double recordsAlone(CycleRecorder index, String runId, int cycles) throws IOException {
        List<CycleSnapshot> ready = new ArrayList<>();
        for (int c = 1; c <= cycles; c++) {
            ready.add(snapshot(runId, c));
        }
        long t0 = System.nanoTime();
        for (CycleSnapshot s : ready) {
            index.recordCycle(s);
        }
        return cycles / ((System.nanoTime() - t0) / 1e9);
    }

    /** 4 KiB appends each forced to the device: the physical ceiling of one synced write at a time. */
    static double syncedAppends(Path dir, int writes) throws IOException {
        Path file = dir.resolve("fsync.probe");
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < 20; i++) {
                block.rewind();
                ch.write(block);
                ch.force(false);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                block.rewind();
                ch.write(block);
                ch.force(false);
            }
            return writes / ((System.nanoTime() - t0) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
