package io.harmonix.workflow.internal;

import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Durable workflows of no-op tasks on embedded Derby, in the two shapes the peer comparison uses: a chain of
 * {@value #CHAIN} tasks, and {@value #WIDE} tasks without dependencies joined by one more. Tasks per second of one
 * instance from start to end, median of {@value #ROUNDS} after {@value #WARMUP} rounds of warm-up (with one, the
 * figure was the interpreter's and the first compilations': a chain went from about 1 700 to 3 000 tasks/s between
 * its 1st and its 8th round, and the peer has its own warm-up to do). {@code main} measures this engine alone
 * (to compare builds of it); {@code io.harmonix.workflow.peer.WorkflowPeerBenchmark} (profile {@code bench}) puts it
 * beside Flowable.
 */
public final class DurableShapes implements AutoCloseable {
    public static final int CHAIN = 200;
    public static final int WIDE = 500;
    public static final int ROUNDS = 10;
    public static final int WARMUP = 20;

    private final DerbyFixture db;
    private int instances;

    public DurableShapes(Path dir) throws Exception {
        db = DerbyFixture.open(dir);
        db.migrator().migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
    }

    public static String chain(String name) {
        StringBuilder y = new StringBuilder("name: " + name + "\nversion: 1\ntasks:\n"
                + "  t1: {component: core, action: noop, input: {}}\n");
        for (int i = 2; i <= CHAIN; i++) {
            y.append("  t").append(i).append(": {component: core, action: noop, input: {}, depends_on: [t")
                    .append(i - 1).append("]}\n");
        }
        return y.toString();
    }

    public static String wide(String name) {
        StringBuilder y = new StringBuilder("name: " + name + "\nversion: 1\nparallelism: 16\ntasks:\n");
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= WIDE; i++) {
            y.append("  t").append(i).append(": {component: core, action: noop, input: {}}\n");
            all.append(i == 1 ? "" : ", ").append('t').append(i);
        }
        y.append("  join: {component: core, action: noop, input: {}, depends_on: [").append(all).append("]}\n");
        return y.toString();
    }

    /** @return tasks per second of one durable instance of {@code yaml} with {@code tasks} tasks, median */
    public double tasksPerSecond(String shape, int tasks) throws Exception {
        double[] rates = new double[ROUNDS];
        try (WorkflowEngine e = new WorkflowEngine(new DefinitionStore(db.dataSource()),
                new InstanceStore(db.dataSource()), System.err::println)) {
            e.addHandler("noop", ctx -> Map.of(), List.of("core"), List.of("noop"));
            String name = shape + "-" + instances++;
            e.deploy(name + ".yaml", shape.equals("chain") ? chain(name) : wide(name));
            for (int r = -WARMUP; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                InstanceInfo done = e.await(e.start(name, null, Map.of(), null).id(), Duration.ofMinutes(5));
                if (done.state() != InstanceState.SUCCEEDED) {
                    throw new IllegalStateException(done.error());
                }
                if (r >= 0) {
                    rates[r] = tasks / ((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        Arrays.sort(rates);
        return rates[ROUNDS / 2];
    }

    @Override
    public void close() {
        db.close();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("harmonix-workflow-shapes");
        try (DurableShapes h = new DurableShapes(dir)) {
            System.out.printf(Locale.ROOT, "harmonix durable, chain of %d: %.0f tasks/s%n", CHAIN,
                    h.tasksPerSecond("chain", CHAIN));
            System.out.printf(Locale.ROOT, "harmonix durable, %d wide and a join: %.0f tasks/s%n", WIDE,
                    h.tasksPerSecond("wide", WIDE + 1));
        }
    }
}
