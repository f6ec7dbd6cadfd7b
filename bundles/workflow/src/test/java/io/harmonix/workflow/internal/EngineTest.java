package io.harmonix.workflow.internal;

import static io.harmonix.workflow.testing.Workflows.assertSucceeded;
import static io.harmonix.workflow.testing.Workflows.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.TaskState;
import io.harmonix.workflow.testing.Workflows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every execution pattern, on handlers registered as the engine's routing sees them. */
class EngineTest {
    private WorkflowEngine engine;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        engine = new WorkflowEngine(null);
        // test/echo: returns its input (and records the call); test/flaky: fails while failuresLeft says so
        handler("echo", ctx -> {
            calls.add(ctx.taskId() + (ctx.input().containsKey("item") ? ":" + ctx.input().get("item") : ""));
            return Map.copyOf(ctx.input());
        });
        handler("flaky", ctx -> {
            calls.add(ctx.taskId() + "#" + ctx.attempt());
            if (failuresLeft.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).getAndDecrement() > 0) {
                throw new IllegalStateException("flaky failure " + ctx.attempt());
            }
            return Map.of("attempt", ctx.attempt());
        });
        handler("sleep", ctx -> {
            Thread.sleep(((Number) ctx.input().get("ms")).longValue());
            return Map.of("slept", true);
        });
        handler("count", ctx -> Map.of("n", ((Number) ctx.input().getOrDefault("n", 0)).intValue() + 1));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private void handler(String action, TaskHandler h) {
        engine.handlers().add(action + h.hashCode(), h, List.of("test"), List.of(action));
    }

    private InstanceInfo run(String yaml, Map<String, Object> input) throws Exception {
        return Workflows.run(engine, yaml, input);
    }

    /** Runs workflow {@code name}, version 1, of {@code body} (its tasks, and what follows them in the YAML). */
    private InstanceInfo run(String name, String body, Map<String, Object> input) throws Exception {
        return Workflows.run(engine, Workflows.v1(name, body), input);
    }

    @Test
    void theSeedsDocumentProcessingExampleRunsAndGivesItsOutputs() throws Exception {
        engine.handlers().add("ergon", ctx -> Map.of("text", "great day: " + ctx.input().get("document_path")),
                List.of("ergon"), List.of("extract_text_from_document"));
        engine.handlers().add("sophia", ctx -> Map.of("sentiment",
                ctx.input().get("text").toString().contains("great") ? "positive" : "negative"),
                List.of("sophia"), List.of("analyze_sentiment"));
        InstanceInfo i = run("""
                name: document_processing
                version: 1.0
                description: Process and analyze documents
                input:
                  document_path:
                    type: string
                    description: Path to document
                tasks:
                  extract_text:
                    component: ergon
                    action: extract_text_from_document
                    input:
                      document_path: ${input.document_path}
                  analyze_sentiment:
                    component: sophia
                    action: analyze_sentiment
                    input:
                      text: ${tasks.extract_text.output.text}
                    depends_on:
                      - extract_text
                output:
                  sentiment: ${tasks.analyze_sentiment.output.sentiment}
                  text: ${tasks.extract_text.output.text}
                """, Map.of("document_path", "/docs/a.txt"));
        assertSucceeded(i);
        assertEquals(Map.of("sentiment", "positive", "text", "great day: /docs/a.txt"), i.output());
        assertEquals("1.0", i.version());
    }

    @Test
    void sequentialAndParallelBranchesWithTypedValues() throws Exception {
        InstanceInfo i = run("fan", """
                input:
                  n: {type: integer, default: 2}
                tasks:
                  start: {component: test, action: echo, input: {n: "${input.n}"}}
                  left: {component: test, action: sleep, input: {ms: 200}, depends_on: [start]}
                  right: {component: test, action: sleep, input: {ms: 200}, depends_on: [start]}
                  end: {component: test, action: echo, input: {sum: "${tasks.start.output.n + 1}"}, depends_on: [left, right]}
                output:
                  sum: ${tasks.end.output.sum}
                """, Map.of());
        assertSucceeded(i);
        assertEquals(3L, ((Number) i.output().get("sum")).longValue(), "a number stays a number");
        TaskInfo left = task(i, "left");
        TaskInfo right = task(i, "right");
        assertTrue(left.startedAt().isBefore(right.endedAt()) && right.startedAt().isBefore(left.endedAt()),
                "left and right ran at the same time");
        assertTrue(!task(i, "end").startedAt().isBefore(left.endedAt()));
    }

    @Test
    void aFalseWhenSkipsAndTheJoinAfterTheBranchStillRuns() throws Exception {
        InstanceInfo i = run("branch", """
                input:
                  big: {type: boolean}
                tasks:
                  check: {component: test, action: echo, input: {v: 1}}
                  big_path: {component: test, action: echo, input: {}, depends_on: [check], when: "input.big"}
                  small_path: {component: test, action: echo, input: {}, depends_on: [check], when: "!input.big"}
                  after_big: {component: test, action: echo, input: {}, depends_on: [big_path]}
                  join: {component: test, action: echo, input: {}, depends_on: [after_big, small_path]}
                """, Map.of("big", "false"));
        assertSucceeded(i);
        assertEquals(TaskState.SKIPPED, task(i, "big_path").state());
        assertTrue(task(i, "big_path").reason().startsWith("when is false"), task(i, "big_path").reason());
        assertEquals(TaskState.SKIPPED, task(i, "after_big").state(), "a branch not taken stays not taken");
        assertEquals(TaskState.SUCCEEDED, task(i, "small_path").state());
        assertEquals(TaskState.SUCCEEDED, task(i, "join").state(), "join: all runs after the branch taken");
        assertTrue(!calls.contains("big_path") && calls.contains("join"));
    }

    @Test
    void joinAnyRunsWhenOneSucceededAndJoinOneFailsWhenTwoDid() throws Exception {
        failuresLeft.put("b", new AtomicInteger(100));
        InstanceInfo any = run("orjoin", """
                tasks:
                  a: {component: test, action: echo, input: {}}
                  b: {component: test, action: flaky, input: {}, on_failure: continue}
                  c: {component: test, action: echo, input: {}, depends_on: [a, b], join: any}
                """, Map.of());
        assertSucceeded(any);
        assertEquals(TaskState.FAILED, task(any, "b").state(), "failed, tolerated");
        assertEquals(TaskState.SUCCEEDED, task(any, "c").state());

        InstanceInfo one = run("xorjoin", """
                tasks:
                  a: {component: test, action: echo, input: {}}
                  b: {component: test, action: echo, input: {}}
                  c: {component: test, action: echo, input: {}, depends_on: [a, b], join: one}
                """, Map.of());
        assertEquals(InstanceState.FAILED, one.state());
        assertEquals(TaskState.FAILED, task(one, "c").state());
        assertTrue(task(one, "c").reason().startsWith("join one: 2 dependencies succeeded (a, b)"),
                task(one, "c").reason());

        InstanceInfo exactlyOne = run("xorjoin2", """
                tasks:
                  a: {component: test, action: echo, input: {}}
                  b: {component: test, action: echo, input: {}, when: "false"}
                  c: {component: test, action: echo, input: {}, depends_on: [a, b], join: one}
                """, Map.of());
        assertSucceeded(exactlyOne);
        assertEquals(TaskState.SUCCEEDED, task(exactlyOne, "c").state());
    }

    @Test
    void forEachRunsEveryItemWithinItsParallelismAndKeepsTheOrderOfResults() throws Exception {
        InstanceInfo i = run("loop", """
                input:
                  files: {type: array, default: [a, b, c, d, e]}
                tasks:
                  each:
                    component: test
                    action: echo
                    input: {item: "${item}", pos: "${index}"}
                    for_each: {items: "${input.files}", parallelism: 2}
                output:
                  all: ${tasks.each.output.items}
                """, Map.of());
        assertSucceeded(i);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) i.output().get("all");
        assertEquals(List.of("a", "b", "c", "d", "e"), all.stream().map(m -> m.get("item")).toList());
        assertEquals(5, task(i, "each").attempts());
    }

    @Test
    void repeatUntilStopsWhenTrueAndFailsPastItsMaximum() throws Exception {
        InstanceInfo i = run("rep", """
                tasks:
                  grow:
                    component: test
                    action: count
                    input: {n: "${iteration}"}
                    repeat: {until: "output.n >= 3", max: 10}
                """, Map.of());
        assertSucceeded(i);
        // iteration 1 gives n = 2, iteration 2 gives n = 3: until holds after the second
        assertEquals(2, task(i, "grow").output().get("iterations"));
        assertEquals(3, task(i, "grow").output().get("n"));
        InstanceInfo never = run("rep2", """
                tasks:
                  grow:
                    component: test
                    action: count
                    input: {n: 0}
                    repeat: {until: "output.n > 5", max: 4}
                """, Map.of());
        assertEquals(InstanceState.FAILED, never.state());
        assertTrue(task(never, "grow").reason().contains("still false after 4 iterations"),
                task(never, "grow").reason());
    }

    @Test
    void retriesWaitAsTheirBackoffSays() throws Exception {
        failuresLeft.put("f", new AtomicInteger(2));
        InstanceInfo i = run("retry", """
                tasks:
                  f:
                    component: test
                    action: flaky
                    input: {}
                    retry: {attempts: 3, backoff: exponential, delay: 100ms, factor: 2}
                """, Map.of());
        assertSucceeded(i);
        assertEquals(List.of("f#1", "f#2", "f#3"), calls);
        long took = Duration.between(task(i, "f").startedAt(), task(i, "f").endedAt()).toMillis();
        assertTrue(took >= 290, "100 + 200 ms of backoff: " + took);
        assertEquals(3, task(i, "f").output().get("attempt"));

        failuresLeft.put("g", new AtomicInteger(5));
        InstanceInfo out = run("retry2", """
                tasks:
                  g: {component: test, action: flaky, input: {}, retry: {attempts: 2, backoff: fixed, delay: 10ms}}
                  after: {component: test, action: echo, input: {}, depends_on: [g]}
                """, Map.of());
        assertEquals(InstanceState.FAILED, out.state());
        assertEquals("task g failed: flaky failure 2 (attempt 2 of 2)", out.error());
        assertEquals(TaskState.CANCELLED, task(out, "after").state());
    }

    @Test
    void aTimeoutInterruptsTheAttemptAndCounts() throws Exception {
        InstanceInfo i = run("slow", """
                tasks:
                  s: {component: test, action: sleep, input: {ms: 5000}, timeout: 200ms, retry: {attempts: 2, delay: 10ms}}
                """, Map.of());
        assertEquals(InstanceState.FAILED, i.state());
        assertTrue(i.error().contains("timed out after 200 ms (attempt 2 of 2)"), i.error());
        assertTrue(Duration.between(i.startedAt(), i.endedAt()).toMillis() < 2000);
    }

    @Test
    void aFailureRunsItsCompensationAndFailsTheWorkflow() throws Exception {
        failuresLeft.put("charge", new AtomicInteger(1));
        InstanceInfo i = run("saga", """
                tasks:
                  reserve: {component: test, action: echo, input: {seat: 12}}
                  charge: {component: test, action: flaky, input: {}, depends_on: [reserve], on_failure: release}
                  ship: {component: test, action: echo, input: {}, depends_on: [charge]}
                  release:
                    component: test
                    action: echo
                    input: {seat: "${tasks.reserve.output.seat}", why: "${tasks.charge.error}"}
                    depends_on: [reserve, charge]
                    compensation: true
                """, Map.of());
        assertEquals(InstanceState.FAILED, i.state());
        assertEquals(TaskState.SUCCEEDED, task(i, "release").state());
        assertEquals(12, task(i, "release").output().get("seat"));
        assertEquals("flaky failure 1", task(i, "release").output().get("why"));
        assertEquals(TaskState.CANCELLED, task(i, "ship").state());
        assertEquals("task charge failed: flaky failure 1; compensation release succeeded", i.error());

        InstanceInfo fine = run("saga2", """
                tasks:
                  a: {component: test, action: echo, input: {}, on_failure: undo}
                  undo: {component: test, action: echo, input: {}, compensation: true}
                """, Map.of());
        assertEquals(InstanceState.SUCCEEDED, fine.state());
        assertEquals(TaskState.SKIPPED, task(fine, "undo").state());
    }

    @Test
    void aCompensationReadsTheErrorOfTheTaskItCompensatesWithoutDependingOnIt() throws Exception {
        failuresLeft.put("charge", new AtomicInteger(1));
        InstanceInfo i = run("""
                name: saga3
                version: 1
                tasks:
                  charge: {component: test, action: flaky, input: {}, on_failure: release}
                  release: {component: test, action: echo, input: {why: "${tasks.charge.error}"}, compensation: true}
                """, Map.of());
        assertEquals(InstanceState.FAILED, i.state());
        assertEquals("flaky failure 1", task(i, "release").output().get("why"));
    }

    @Test
    void theLeastBusyHandlerTakesTheTaskAndAnotherTakesOverWhenOneLeaves() throws Exception {
        List<String> who = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch leaving = new java.util.concurrent.CountDownLatch(1);
        engine.handlers().add("h1", ctx -> {
            who.add("h1");
            leaving.await();
            throw new IllegalStateException("bundle stopping");
        }, List.of("lb"), List.of("work"));
        engine.handlers().add("h2", ctx -> {
            who.add("h2");
            Thread.sleep(100);
            return Map.of("by", "h2");
        }, List.of("lb"), List.of("work"));
        engine.deploy("lb.yaml", """
                name: lb
                version: 1
                parallelism: 2
                tasks:
                  a: {component: lb, action: work, input: {}}
                  b: {component: lb, action: work, input: {}}
                """);
        InstanceInfo started = engine.start("lb", null, Map.of(), null);
        long end = System.currentTimeMillis() + 5000;
        while (who.size() < 2 && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals(List.of("h1", "h2"), who.stream().sorted().toList(), "one task each: least busy first");
        engine.handlers().remove("h1");
        leaving.countDown();
        InstanceInfo i = engine.await(started.id(), Duration.ofSeconds(10));
        assertSucceeded(i);
        assertEquals("h2", task(i, "a").output().get("by"));
        assertEquals("h2", task(i, "b").output().get("by"));
        assertEquals(1, task(i, "a").attempts() + task(i, "b").attempts() - 1, "the hand-over is no attempt");
    }

    @Test
    void inputsAreCheckedAndANewVersionLeavesRunningInstancesAlone() throws Exception {
        engine.deploy("v.yaml", """
                name: v
                version: 1
                input:
                  ms: {type: integer}
                tasks:
                  s: {component: test, action: sleep, input: {ms: "${input.ms}"}}
                output: {version: one}
                """);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> engine.start("v", null, Map.of("ms", "soon", "x", 1), null));
        assertEquals("unknown input 'x'; inputs: ms; input 'ms' = soon: expected integer", bad.getMessage());
        InstanceInfo first = engine.start("v", null, Map.of("ms", "300"), null);
        engine.deploy("v2.yaml", """
                name: v
                version: 2
                input:
                  ms: {type: integer}
                tasks:
                  s: {component: test, action: sleep, input: {ms: "${input.ms}"}}
                output: {version: two}
                """);
        assertEquals("one", engine.await(first.id(), Duration.ofSeconds(10)).output().get("version"));
        InstanceInfo second = engine.start("v", null, Map.of("ms", 1), null);
        assertEquals("two", engine.await(second.id(), Duration.ofSeconds(10)).output().get("version"));
        assertEquals("2", engine.definition("v", null).orElseThrow().version());
        assertNull(engine.definition("v", "3").orElse(null));
    }
}
