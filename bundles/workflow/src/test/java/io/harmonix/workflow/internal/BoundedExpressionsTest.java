package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Expressions that would never end: an endless loop and a catastrophic regex are cut at their bound, or at once by
 * an interrupt (a cancel), and never hold the instance's lock: wf:cancel returns while one runs.
 */
class BoundedExpressionsTest {
    /** Backtracks for hours unless cut (java.util.regex since Java 9 makes (a+)+b fast, not this). */
    private static final String CATASTROPHIC = "'" + "a".repeat(40) + "' =~ '((a+)+)+b'";
    /** Liveness bound of the tests: far above the bounds they set, far below "forever". */
    private static final Duration LIVENESS = Duration.ofSeconds(60);

    private WorkflowEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = new WorkflowEngine(null);
        engine.handlers().add("echo", ctx -> Map.copyOf(ctx.input()), List.of("test"), List.of("echo"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void anEndlessLoopIsCutAtItsBoundWithTheReason() {
        Bound.Cut cut = assertTimeoutPreemptively(LIVENESS, () -> assertThrows(Bound.Cut.class,
                () -> Expressions.evaluate("${while(true){}}", Map.of(), Bound.of(Duration.ofMillis(300)))));
        assertEquals("'${while(true){}}': evaluation cut after 300ms (the task's timeout)", cut.getMessage());
    }

    @Test
    void catastrophicRegexesAreCutByOperatorAndByStringMethod() {
        for (String e : List.of(CATASTROPHIC, "'" + "a".repeat(40) + "'.matches('((a+)+)+b')",
                "'" + "a".repeat(40) + "'.replaceAll('((a+)+)+b', 'x')")) {
            Bound.Cut cut = assertTimeoutPreemptively(LIVENESS, () -> assertThrows(Bound.Cut.class,
                    () -> Expressions.test("${" + e + "}", Map.of(), Bound.of(Duration.ofMillis(300)))), e);
            assertTrue(cut.getMessage().endsWith("evaluation cut after 300ms (the task's timeout)"), cut.getMessage());
        }
        // bounded regexes give what String's own methods give
        assertEquals(true, Expressions.evaluate("${'abc' =~ 'a.c'}", Map.of()));
        assertEquals("x-b-x", Expressions.evaluate("${'a-b-a'.replaceAll('a', 'x')}", Map.of()));
        assertEquals(List.of("a", "b", "c"), List.of((Object[]) Expressions.evaluate("${'a,b,c'.split(',')}",
                Map.of())));
    }

    @Test
    void anInterruptStopsAnEvaluationAtOnce() throws Exception {
        CompletableFuture<Bound.Cut> cut = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                Expressions.evaluate("${while(true){}}", Map.of(), Bound.of(Duration.ofDays(1)));
            } catch (Bound.Cut c) {
                cut.complete(c);
            }
        });
        t.start();
        started.await();
        t.interrupt();
        Bound.Cut c = cut.get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
        assertTrue(c.interrupted, c.getMessage());
    }

    @Test
    void anEndlessInputFailsItsTaskAtTheTaskTimeout() throws Exception {
        engine.deploy("loop.yaml", """
                name: loop
                version: 1
                tasks:
                  a: {component: test, action: echo, timeout: 1s, input: {x: "${while(true){}}"}}
                """);
        InstanceInfo i = engine.await(engine.start("loop", null, Map.of(), null).id(), LIVENESS);
        assertEquals(InstanceState.FAILED, i.state());
        assertEquals("input: '${while(true){}}': evaluation cut after 1s (the task's timeout)",
                i.tasks().get(0).reason());
    }

    @Test
    void cancelReturnsWhileAWhenConditionBacktracks() throws Exception {
        engine.deploy("stuck.yaml", """
                name: stuck
                version: 1
                tasks:
                  a: {component: test, action: echo, timeout: 1h, when: "%s"}
                """.formatted(CATASTROPHIC.replace("\"", "\\\"")));
        String id = engine.start("stuck", null, Map.of(), null).id();
        // the condition is evaluated off the instance's lock: cancel answers at once, and interrupts it
        InstanceInfo cancelled = assertTimeoutPreemptively(LIVENESS, () -> engine.cancel(id));
        assertTrue(cancelled.state() == InstanceState.CANCELLED || cancelled.state() == InstanceState.RUNNING);
        InstanceInfo i = engine.await(id, LIVENESS);
        assertEquals(InstanceState.CANCELLED, i.state());
        assertEquals(TaskState.CANCELLED, i.tasks().get(0).state());
    }

    @Test
    void anEndlessOutputFailsTheInstanceAndCancelStillAnswers() throws Exception {
        engine.deploy("out.yaml", """
                name: out
                version: 1
                tasks:
                  a: {component: test, action: echo, input: {x: 1}}
                output:
                  y: "${while(true){}}"
                """);
        Bound.limit(Duration.ofMillis(500));
        try {
            InstanceInfo i = engine.await(engine.start("out", null, Map.of(), null).id(), LIVENESS);
            assertEquals(InstanceState.FAILED, i.state());
            assertEquals("output: '${while(true){}}': evaluation cut after 500ms (the expression limit)", i.error());
        } finally {
            Bound.limit(null);
        }
    }
}
