package io.harmonix.runner.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.runner.internal.JournalGate;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.state.testing.StateFixture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Durable cycles per second of the runner as a runtime runs them: two trivial agents, the run journal on embedded
 * Derby and the index on files (its defaults: {@code sync=group}), in a temporary folder; 1 run, then 8 runs
 * together. Beside them, measured by the same program in the same folder and the same minute, the physical limit:
 * 4 KiB appends each forced to the device ({@code FileChannel.force}), one writer, and a Derby insert and commit
 * alone. Ratios to those limits are what to compare across machines; rounds alternate limit and runs, median of
 * {@value #ROUNDS}.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} in bundles/runner (figures in
 * docs/performance.md).
 */
public final class DurableCycleBenchmark {
    private static final int ROUNDS = 3;

    private DurableCycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "harmonix-durable");
        System.out.printf(Locale.ROOT, "durable cycles in %s, 2 trivial agents, %d cores, Java %s%n", dir,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
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
            measure(engine, "warm", 1, cycles / 2);
            double[] raw = new double[ROUNDS];
            double[] one = new double[ROUNDS];
            double[] eight = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                raw[r] = syncedAppends(dir, 1000);
                one[r] = measure(engine, "one" + r, 1, cycles);
                eight[r] = measure(engine, "eight" + r, 8, cycles / 4);
                System.out.printf(Locale.ROOT, "round %d: raw synced appends %.0f/s, 1 run %.0f cycles/s, "
                        + "8 runs %.0f cycles/s%n", r + 1, raw[r], one[r], eight[r]);
            }
            engine.close(Duration.ofSeconds(10));
            double rawM = median(raw);
            double oneM = median(one);
            double eightM = median(eight);
            System.out.printf(Locale.ROOT, "raw synced 4 KiB appends, 1 writer: %.0f/s (median)%n", rawM);
            System.out.printf(Locale.ROOT, "durable cycles, 1 run: %.0f/s (%.2f of raw)%n", oneM, oneM / rawM);
            System.out.printf(Locale.ROOT, "durable cycles, 8 runs: %.0f/s in all (%.2f of raw; %.1fx one run)%n",
                    eightM, eightM / rawM, eightM / oneM);
        }
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
