package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances on a real Derby: history, resume after the engine goes away, pause, resume, cancel, replay. */
class DurabilityTest {
    private static final String WORKFLOW = chain("durable", "slow");

    /**
     * A workflow of three tasks in a row, each adding 1 to the one before (its output v is 3); the middle one is
     * done by {@code middleAction}, the task a test interrupts or fails.
     */
    private static String chain(String name, String middleAction) {
        return """
                name: %s
                version: 1
                tasks:
                  a: {component: test, action: count, input: {v: 1}}
                  b: {component: test, action: %s, input: {v: "${tasks.a.output.v + 1}"}, depends_on: [a]}
                  c: {component: test, action: count, input: {v: "${tasks.b.output.v + 1}"}, depends_on: [b]}
                output:
                  v: ${tasks.c.output.v}
                """.formatted(name, middleAction);
    }

    @TempDir
    Path dir;

    private DerbyFixture db;
    private final Map<String, AtomicInteger> runsByKey = new ConcurrentHashMap<>();
    private volatile CountDownLatch slowGate = new CountDownLatch(0);
    private final CountDownLatch slowStarted = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir);
        db.migrator().migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
        // the runtime's engine holds its instances by lease, as one node of a cluster of one: its leases always
        // succeed, and a restarted engine (same node) has its instances back at once
        node = ClusterFixture.join(db.dataSource(), db.migrator(), "node-a", Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        node.close();
        db.close();
    }

    private ClusterFixture node;

    /** Counts an attempt of a task by its idempotency key: how often each task of each instance really ran. */
    private void countRun(TaskContext ctx) {
        runsByKey.computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
    }

    private WorkflowEngine engine() throws Exception {
        WorkflowEngine e = new WorkflowEngine(new DefinitionStore(db.dataSource()),
                new InstanceStore(db.dataSource()), new InstanceLeases(node.leases(), 0, Duration.ofMillis(200),
                        System.err::println), System.err::println);
        e.claim();
        e.addHandler("count", ctx -> {
            countRun(ctx);
            return Map.copyOf(ctx.input());
        }, List.of("test"), List.of("count"));
        e.addHandler("slow", ctx -> {
            countRun(ctx);
            slowStarted.countDown();
            slowGate.await();
            return Map.copyOf(ctx.input());
        }, List.of("test"), List.of("slow"));
        return e;
    }

    /**
     * Deploys and starts the durable workflow with its task b (the slow one) held at {@code slowGate}, and returns
     * the instance's id once b runs: the moment the tests interrupt, pause or cancel it.
     */
    private String startUntilBRuns(WorkflowEngine e) throws Exception {
        slowGate = new CountDownLatch(1);
        e.deploy("d.yaml", WORKFLOW);
        String id = e.start("durable", null, Map.of(), null).id();
        assertTrue(slowStarted.await(10, java.util.concurrent.TimeUnit.SECONDS));
        return id;
    }

    @Test
    void anInstanceInterruptedMidTaskResumesWithoutRunningFinishedTasksAgain() throws Exception {
        String id;
        try (WorkflowEngine first = engine()) {
            id = startUntilBRuns(first);
        } // the engine goes away while b runs: like a crash, nothing more is recorded
        slowGate = new CountDownLatch(0);
        try (WorkflowEngine second = engine()) {
            assertEquals(List.of(id), second.resumeInterrupted());
            InstanceInfo done = second.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertEquals(3, ((Number) done.output().get("v")).intValue());
            assertEquals(1, runsByKey.get(id + "/a").get(), "a had succeeded: not run again");
            assertEquals(2, runsByKey.get(id + "/b").get(), "b was running: run again, with the same key");
            assertEquals(1, runsByKey.get(id + "/c").get());
            List<String> kinds = second.history(id).stream().map(HistoryEvent::kind).toList();
            assertEquals(List.of("instance.started", "task.started", "task.succeeded", "task.started",
                    "task.started", "task.succeeded", "task.started", "task.succeeded", "instance.finished"), kinds);
            assertEquals(List.of(), second.replay(id), "the history rebuilds the state kept");
        }
        try (WorkflowEngine third = engine()) {
            InstanceInfo kept = third.instance(id).orElseThrow();
            assertEquals(InstanceState.SUCCEEDED, kept.state());
            assertEquals(TaskState.SUCCEEDED, kept.tasks().get(2).state());
            assertEquals(List.of(), third.replay(id));
            assertEquals(List.of(), third.resumeInterrupted(), "nothing left to resume");
        }
    }

    @Test
    void anInstanceReadBackAfterARestartHasEachTasksTimesFromItsHistory() throws Exception {
        String id;
        try (WorkflowEngine first = engine()) {
            first.deploy("d.yaml", chain("timed", "count"));
            id = first.start("timed", null, Map.of(), null).id();
            assertEquals(InstanceState.SUCCEEDED, first.await(id, Duration.ofSeconds(10)).state());
        }
        try (WorkflowEngine second = engine()) {
            List<HistoryEvent> history = second.history(id);
            InstanceInfo kept = second.instance(id).orElseThrow();
            for (var task : kept.tasks()) {
                java.time.Instant started = history.stream().filter(e -> task.id().equals(e.task())
                        && e.kind().equals("task.started")).map(HistoryEvent::at).findFirst().orElseThrow();
                java.time.Instant ended = history.stream().filter(e -> task.id().equals(e.task())
                        && e.kind().equals("task.succeeded")).map(HistoryEvent::at).findFirst().orElseThrow();
                assertEquals(started, task.startedAt(), task.id() + " started as its history says");
                assertEquals(ended, task.endedAt(), task.id() + " ended as its history says");
            }
        }
    }

    @Test
    void anInstanceThatToleratedAFailureSucceedsWithFailuresAndSaysSoAfterARestart() throws Exception {
        String tolerant = """
                name: tolerant
                version: 1
                tasks:
                  a: {component: test, action: count, input: {v: 1}}
                  b: {component: test, action: broken, input: {}, on_failure: continue}
                """;
        String id;
        String clean;
        try (WorkflowEngine first = engine()) {
            first.addHandler("broken", ctx -> {
                throw new IllegalStateException("disk full");
            }, List.of("test"), List.of("broken"));
            first.deploy("t.yaml", tolerant);
            id = first.start("tolerant", null, Map.of(), null).id();
            InstanceInfo done = first.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.SUCCEEDED, done.state());
            assertTrue(done.succeededWithFailures(), "b failed and was tolerated");
            first.deploy("d.yaml", WORKFLOW.replace("slow", "count"));
            clean = first.start("durable", null, Map.of(), null).id();
            InstanceInfo fine = first.await(clean, Duration.ofSeconds(10));
            assertEquals(InstanceState.SUCCEEDED, fine.state());
            assertEquals(false, fine.succeededWithFailures());
        }
        try (WorkflowEngine second = engine()) {
            assertTrue(second.instance(id).orElseThrow().succeededWithFailures(), "read back from the history");
            assertEquals(false, second.instance(clean).orElseThrow().succeededWithFailures());
        }
    }

    @Test
    void pauseStopsNewTasksResumeGoesOnAndBothAreDurable() throws Exception {
        String id;
        try (WorkflowEngine first = engine()) {
            id = startUntilBRuns(first);
            assertEquals(InstanceState.PAUSED, first.pause(id).state());
            slowGate.countDown();
            Thread.sleep(300);
            InstanceInfo paused = first.instance(id).orElseThrow();
            assertEquals(TaskState.SUCCEEDED, paused.tasks().get(1).state(), "the running task finished");
            assertEquals(TaskState.PENDING, paused.tasks().get(2).state(), "no new task started");
        }
        try (WorkflowEngine second = engine()) {
            second.resumeInterrupted();
            Thread.sleep(300);
            assertEquals(InstanceState.PAUSED, second.instance(id).orElseThrow().state(), "still paused");
            second.resume(id);
            InstanceInfo done = second.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertEquals(List.of(), second.replay(id));
        }
    }

    @Test
    void cancelStopsTheRunningTaskAndStartsNoOther() throws Exception {
        try (WorkflowEngine e = engine()) {
            String id = startUntilBRuns(e);
            e.cancel(id);
            InstanceInfo done = e.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.CANCELLED, done.state());
            assertEquals(TaskState.CANCELLED, done.tasks().get(1).state());
            assertEquals(TaskState.CANCELLED, done.tasks().get(2).state());
            assertEquals(null, runsByKey.get(id + "/c"));
            assertEquals(List.of(), e.replay(id));
        }
    }

    @Test
    void loopsResumeAfterTheirLastRecordedIterationOrItemAndKeepABoundedHistory() throws Exception {
        String loops = """
                name: loops
                version: 1
                tasks:
                  grow:
                    component: test
                    action: tick
                    input: {n: "${iteration}"}
                    repeat: {until: "output.n >= 60", max: 1000}
                  each:
                    component: test
                    action: tick
                    input: {n: "${item}"}
                    for_each: {items: [1, 2, 3, 4, 5, 6, 7, 8], parallelism: 1}
                output:
                  n: ${tasks.grow.output.n}
                  items: ${tasks.each.output.items.size()}
                """;
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(1);
        String id;
        try (WorkflowEngine first = engine()) {
            first.addHandler("tick", ctx -> {
                countRun(ctx);
                if (ticks.incrementAndGet() == 40) {
                    halfway.countDown();
                }
                Thread.sleep(5);
                return Map.copyOf(ctx.input());
            }, List.of("test"), List.of("tick"));
            first.deploy("loops.yaml", loops);
            id = first.start("loops", null, Map.of(), null).id();
            assertTrue(halfway.await(20, java.util.concurrent.TimeUnit.SECONDS));
        }
        int before = ticks.get();
        try (WorkflowEngine second = engine()) {
            second.addHandler("tick", ctx -> {
                countRun(ctx);
                ticks.incrementAndGet();
                return Map.copyOf(ctx.input());
            }, List.of("test"), List.of("tick"));
            second.resumeInterrupted();
            InstanceInfo done = second.await(id, Duration.ofSeconds(20));
            assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertEquals(60, ((Number) done.output().get("n")).intValue());
            assertEquals(8, ((Number) done.output().get("items")).intValue());
            // 60 iterations and 8 items in all; at most one cut by the stop was done twice per loop
            assertTrue(ticks.get() <= 60 + 8 + 2, "ticks " + ticks.get() + " (" + before + " before the stop)");
            runsByKey.forEach((k, n) -> assertTrue(n.get() <= 2, k + " ran " + n.get() + " times"));
            long iterationEntries = second.history(id).stream().filter(e -> e.kind().equals("iteration.succeeded"))
                    .count();
            assertTrue(iterationEntries <= InstanceRun.ITERATIONS_KEPT, "bounded: " + iterationEntries);
            assertEquals(List.of(), second.replay(id));
        }
    }

    @Test
    void aFailedInstanceIsRetriedReusingWhatSucceededAndFromATask() throws Exception {
        AtomicInteger failNext = new AtomicInteger(1);
        try (WorkflowEngine e = engine()) {
            e.addHandler("shaky", ctx -> {
                countRun(ctx);
                if (failNext.getAndDecrement() > 0) {
                    throw new IllegalStateException("not today");
                }
                return Map.copyOf(ctx.input());
            }, List.of("test"), List.of("shaky"));
            e.deploy("r.yaml", chain("retryable", "shaky"));
            String id = e.start("retryable", null, Map.of(), null).id();
            InstanceInfo failed = e.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.FAILED, failed.state());
            assertEquals(TaskState.CANCELLED, failed.tasks().get(2).state());

            e.retry(id, null);
            InstanceInfo done = e.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertEquals(3, ((Number) done.output().get("v")).intValue());
            assertEquals(1, runsByKey.get(id + "/a").get(), "a succeeded before: its output is reused");
            assertEquals(2, runsByKey.get(id + "/b").get());
            assertEquals(List.of(), e.replay(id));

            // a succeeded instance is not retried; a failed one with --from a runs a, b and c again
            assertThrows(IllegalArgumentException.class, () -> e.retry(id, null));
            failNext.set(1);
            String second = e.start("retryable", null, Map.of(), null).id();
            assertEquals(InstanceState.FAILED, e.await(second, Duration.ofSeconds(10)).state());
            e.retry(second, "a");
            assertEquals(InstanceState.SUCCEEDED, e.await(second, Duration.ofSeconds(10)).state());
            assertEquals(2, runsByKey.get(second + "/a").get(), "--from a: a ran again");
            assertEquals(List.of(), e.replay(second));
        }
    }
}
