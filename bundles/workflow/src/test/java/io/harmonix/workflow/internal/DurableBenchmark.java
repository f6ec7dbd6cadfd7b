package io.harmonix.workflow.internal;

import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Durability's price and resume time, on embedded Derby in a temp folder: the same wide workflows of no-op tasks
 * in memory and durable (every state change one Derby transaction), and the time for a new engine to resume an
 * instance interrupted before its last task, as its history grows.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} (figures in docs/performance.md).
 */
public final class DurableBenchmark {
    private DurableBenchmark() {
    }

    private static String wide(String name, int tasks) {
        StringBuilder y = new StringBuilder("name: " + name + "\nversion: 1\nparallelism: 16\ntasks:\n"
                + "  t0: {component: core, action: noop, input: {n: 0}}\n");
        StringBuilder all = new StringBuilder();
        for (int i = 1; i < tasks - 1; i++) {
            y.append("  t").append(i).append(": {component: core, action: noop, input: {n: \"${tasks.t0.output.n + ")
                    .append(i).append("}\"}, depends_on: [t0]}\n");
            all.append(i == 1 ? "" : ", ").append('t').append(i);
        }
        y.append("  last: {component: core, action: gate, input: {}, depends_on: [").append(all).append("]}\n");
        return y.toString();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("harmonix-workflow-durable-bench");
        System.out.printf(Locale.ROOT, "workflow durability benchmark in %s, %d cores, Java %s%n", dir,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (DerbyFixture db = DerbyFixture.open(dir)) {
            db.migrator().migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
            int tasks = 2000;
            for (int round = 0; round < 3; round++) {
                double memory = run(null, tasks, "m" + round);
                double durable = run(db, tasks, "d" + round);
                if (round > 0) { // the first round warms up
                    System.out.printf(Locale.ROOT, "%d tasks, parallelism 16: in memory %.0f tasks/s, durable "
                            + "%.0f tasks/s (%.2f of in memory)%n", tasks, tasks / memory, tasks / durable,
                            memory / durable);
                }
            }
            for (int n : new int[] {250, 1000, 4000}) {
                resume(db, n);
            }
        }
    }

    private static WorkflowEngine engine(DerbyFixture db, CountDownLatch gate) throws Exception {
        WorkflowEngine e = db == null ? WorkflowEngine.inMemory() : new WorkflowEngine(
                new DefinitionStore(db.dataSource()), new InstanceStore(db.dataSource()), System.err::println);
        e.addHandler("noop", ctx -> ctx.input(), List.of("core"), List.of("noop"));
        e.addHandler("gate", ctx -> {
            gate.await();
            return Map.of();
        }, List.of("core"), List.of("gate"));
        return e;
    }

    private static double run(DerbyFixture db, int tasks, String name) throws Exception {
        try (WorkflowEngine e = engine(db, new CountDownLatch(0))) {
            e.deploy(name + ".yaml", wide(name, tasks));
            long t0 = System.nanoTime();
            InstanceInfo done = e.await(e.start(name, null, Map.of(), null).id(), Duration.ofMinutes(5));
            if (done.state() != InstanceState.SUCCEEDED) {
                throw new IllegalStateException(done.error());
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static void resume(DerbyFixture db, int tasks) throws Exception {
        String name = "resume" + tasks;
        CountDownLatch never = new CountDownLatch(1);
        String id;
        try (WorkflowEngine e = engine(db, never)) {
            e.deploy(name + ".yaml", wide(name, tasks));
            id = e.start(name, null, Map.of(), null).id();
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (e.instance(id).orElseThrow().tasks().stream().filter(t -> t.state().terminal()).count()
                    < tasks - 1) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("not at the last task");
                }
                Thread.sleep(20);
            }
            Thread.sleep(200); // the last task has started
        } // the engine goes away: the instance waits in the database
        CountDownLatch open = new CountDownLatch(0);
        try (WorkflowEngine e = engine(db, open)) {
            int events = e.history(id).size();
            long t0 = System.nanoTime();
            e.resumeInterrupted();
            double resumeMs = (System.nanoTime() - t0) / 1e6;
            InstanceInfo done = e.await(id, Duration.ofMinutes(1));
            if (done.state() != InstanceState.SUCCEEDED) {
                throw new IllegalStateException(done.error());
            }
            System.out.printf(Locale.ROOT, "resume of an instance of %d tasks with %d history events: %.1f ms "
                    + "(%.1f us per event)%n", tasks, events, resumeMs, resumeMs * 1000 / events);
        }
    }
}
