package io.harmonix.workflow.bench;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Engine overhead per task: 10 000 no-op tasks in a wide shape (one root, 9 998 tasks depending on it, one join of
 * all of them) and a deep one (a chain of 10 000), each task reading its dependency's output through an
 * expression. The handler returns at once, so the time is the engine's: scheduling, expression evaluation, two
 * thread hand-offs per task (a task thread, then the handler call bounded by its timeout), the bookkeeping.
 * Median of 5 rounds after 2 warm-up rounds.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} (figures in docs/performance.md).
 */
public final class EngineBenchmark {
    private static final int TASKS = 10_000;

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "workflow engine benchmark, %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (String shape : List.of("wide", "deep")) {
            for (int parallelism : shape.equals("wide") ? new int[] {1, 16} : new int[] {16}) {
                double[] secs = new double[5];
                for (int round = -2; round < 5; round++) {
                    double s = once(shape, parallelism);
                    if (round >= 0) {
                        secs[round] = s;
                    }
                }
                Arrays.sort(secs);
                double median = secs[2];
                System.out.printf(Locale.ROOT, "%s, %d tasks, parallelism %d: %.0f tasks/s, %.1f us per task "
                        + "(median of 5; min %.0f, max %.0f tasks/s)%n", shape, TASKS, parallelism, TASKS / median,
                        median * 1e6 / TASKS, TASKS / secs[4], TASKS / secs[0]);
            }
        }
    }

    private static String definition(String shape, int parallelism) {
        StringBuilder y = new StringBuilder("name: " + shape + "\nversion: 1\nparallelism: " + parallelism
                + "\ntasks:\n  t0: {component: core, action: noop, input: {n: 0}}\n");
        if (shape.equals("wide")) {
            StringBuilder all = new StringBuilder();
            for (int i = 1; i < TASKS - 1; i++) {
                y.append("  t").append(i).append(": {component: core, action: noop, input: {n: \"${tasks.t0.output.n"
                        + " + ").append(i).append("}\"}, depends_on: [t0]}\n");
                all.append(i == 1 ? "" : ", ").append('t').append(i);
            }
            y.append("  join: {component: core, action: noop, input: {}, depends_on: [").append(all).append("]}\n");
        } else {
            for (int i = 1; i < TASKS; i++) {
                y.append("  t").append(i).append(": {component: core, action: noop, input: {n: \"${tasks.t")
                        .append(i - 1).append(".output.n + 1}\"}, depends_on: [t").append(i - 1).append("]}\n");
            }
        }
        return y.toString();
    }

    private static double once(String shape, int parallelism) throws Exception {
        try (WorkflowEngine engine = WorkflowEngine.inMemory()) {
            engine.addHandler("noop", ctx -> ctx.input(), List.of("core"), List.of("noop"));
            engine.deploy(shape + ".yaml", definition(shape, parallelism));
            long t0 = System.nanoTime();
            InstanceInfo started = engine.start(shape, null, Map.of(), null);
            InstanceInfo done = engine.await(started.id(), Duration.ofMinutes(5));
            double secs = (System.nanoTime() - t0) / 1e9;
            if (done.state() != InstanceState.SUCCEEDED) {
                throw new IllegalStateException(shape + ": " + done.state() + " " + done.error());
            }
            return secs;
        }
    }
}
