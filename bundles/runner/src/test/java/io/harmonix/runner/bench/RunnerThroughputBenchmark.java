package io.harmonix.runner.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cycle throughput of the runner with trivial agents (each returns its previous state plus one), no interval, no
 * recorder: what the runner itself costs per cycle (agent calls on the pool, snapshot with digests, events).
 * Prints cycles per second for 1 and for 8 concurrent runs, median of several rounds after a warm-up.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests} (figures in docs/performance.md).
 */
public final class RunnerThroughputBenchmark {
    private static final int AGENTS = 2;
    private static final int CYCLES_PER_RUN = 20_000;
    private static final int ROUNDS = 5;

    private RunnerThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        RunEngine engine = new RunEngine(new RunnerSettings(8, Duration.ofSeconds(30), 10, true), RunnerLog.console());
        Agent trivial = ctx -> AgentResult.of(IntNode.valueOf(ctx.firstCycle() ? 1 : ctx.previousState().asInt() + 1));
        for (int i = 0; i < AGENTS; i++) {
            engine.addAgent(new AgentInfo("trivial-" + i, "bench", 0, "bench"), trivial, i);
        }
        engine.addListener(e -> { }, "bench-listener");
        System.out.printf(Locale.ROOT, "runner throughput: %d trivial agents per cycle, %d cycles per run, "
                + "pool 8, %d cores, Java %s%n", AGENTS, CYCLES_PER_RUN, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        measure(engine, 1, 2); // warm-up
        measure(engine, 8, 1);
        double one = report(engine, 1);
        double eight = report(engine, 8);
        System.out.printf(Locale.ROOT, "8 runs / 1 run: %.2fx aggregate throughput%n", eight / one);
        engine.close(Duration.ofSeconds(5));
    }

    private static double report(RunEngine engine, int runs) throws InterruptedException {
        double[] rates = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            rates[i] = measure(engine, runs, 1);
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "%d concurrent run(s): median %.0f cycles/s in all (min %.0f, max %.0f), "
                + "%.0f cycles/s per run%n", runs, rates[ROUNDS / 2], rates[0], rates[ROUNDS - 1],
                rates[ROUNDS / 2] / runs);
        return rates[ROUNDS / 2];
    }

    /** @return aggregate cycles per second of {@code runs} concurrent runs */
    private static double measure(RunEngine engine, int runs, int repeat) throws InterruptedException {
        double rate = 0;
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            List<RunInfo> started = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                started.add(engine.start(new RunRequest(null, List.of(), CYCLES_PER_RUN, Duration.ZERO, null, null)));
            }
            for (RunInfo run : started) {
                if (engine.await(run.runId(), Duration.ofMinutes(10)).state() != RunState.COMPLETED) {
                    throw new IllegalStateException("run " + run.runId() + " did not complete");
                }
            }
            rate = (double) runs * CYCLES_PER_RUN / ((System.nanoTime() - t0) / 1e9);
        }
        return rate;
    }
}
