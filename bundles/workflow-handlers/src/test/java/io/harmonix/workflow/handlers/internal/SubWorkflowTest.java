package io.harmonix.workflow.handlers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskState;
import io.harmonix.workflow.internal.WorkflowEngine;
import io.harmonix.workflow.testing.Workflows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workflow/run on a real Derby: the child goes with its parent, and a parent task run again finds its child. */
class SubWorkflowTest {
    private static final String CHILD = Workflows.v1("child", """
            tasks:
              work: {component: test, action: hold, input: {}}
            output:
              done: ${tasks.work.output.done}
            """);

    @TempDir
    Path dir;

    private DerbyFixture db;
    /** The child's task holds here until released; {@code holding} counts down when it starts. */
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private volatile CountDownLatch holding = new CountDownLatch(1);
    /** Instance ids whose child task ran: a second child would show as a second id. */
    private final Set<String> childRuns = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() throws Exception {
        db = DerbyFixture.open(dir);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private WorkflowEngine engine() throws Exception {
        WorkflowEngine e = WorkflowEngine.durable(db.dataSource(), db.migrator(), System.err::println);
        e.addHandler("hold", ctx -> {
            childRuns.add(ctx.instanceId());
            holding.countDown();
            gate.await();
            return Map.of("done", true);
        }, List.of("test"), List.of("hold"));
        WorkflowRunHandler sub = new WorkflowRunHandler();
        var field = WorkflowRunHandler.class.getDeclaredField("workflows");
        field.setAccessible(true);
        field.set(sub, e); // what DS injects
        e.addHandler("sub", sub, List.of("workflow"), List.of("run"));
        return e;
    }

    private static String parent(String name, String taskExtra) {
        return Workflows.v1(name, """
                tasks:
                  call: {component: workflow, action: run, input: {workflow: child}%s}
                output:
                  done: ${tasks.call.output.done}
                """.formatted(taskExtra));
    }

    /** Deploys the child and a parent named {@code name} whose calling task has {@code taskExtra}, and starts it. */
    private static String startParent(WorkflowEngine e, String name, String taskExtra) throws Exception {
        e.deploy("child.yaml", CHILD);
        e.deploy("parent.yaml", parent(name, taskExtra));
        return e.start(name, null, Map.of(), null).id();
    }

    private static InstanceInfo only(WorkflowEngine e, String workflow) {
        List<InstanceInfo> found = e.instances().stream().filter(i -> i.workflow().equals(workflow)).toList();
        assertEquals(1, found.size(), "instances of " + workflow + ": " + found);
        return found.get(0);
    }

    @Test
    void cancellingTheParentCancelsItsChild() throws Exception {
        try (WorkflowEngine e = engine()) {
            String id = startParent(e, "parent", "");
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            String child = only(e, "child").id();
            e.cancel(id);
            assertEquals(InstanceState.CANCELLED, e.await(id, Duration.ofSeconds(10)).state());
            InstanceInfo c = e.await(child, Duration.ofSeconds(10));
            assertEquals(InstanceState.CANCELLED, c.state(), "the child went with its parent");
            assertEquals(TaskState.CANCELLED, c.tasks().get(0).state());
        }
    }

    @Test
    void aParentTaskThatTimesOutCancelsItsChild() throws Exception {
        try (WorkflowEngine e = engine()) {
            String id = startParent(e, "impatient", ", timeout: 200ms");
            InstanceInfo p = e.await(id, Duration.ofSeconds(10)); // the child holds until cancelled
            assertEquals(InstanceState.FAILED, p.state());
            InstanceInfo c = e.await(only(e, "child").id(), Duration.ofSeconds(10));
            assertEquals(InstanceState.CANCELLED, c.state(), "the child went with its parent's task");
        }
    }

    @Test
    void aParentTaskRunAgainAfterACrashFindsItsChildInsteadOfStartingAnother() throws Exception {
        String id;
        String child;
        try (WorkflowEngine first = engine()) {
            id = startParent(first, "parent", "");
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            child = only(first, "child").id();
        } // the engine goes away while parent and child run: a crash, nothing more is recorded
        gate.countDown();
        try (WorkflowEngine second = engine()) {
            second.resumeInterrupted();
            InstanceInfo p = second.await(id, Duration.ofSeconds(10));
            assertEquals(InstanceState.SUCCEEDED, p.state(), String.valueOf(p.error()));
            assertEquals(child, p.tasks().get(0).output().get("instance"), "the parent's task found its child");
            assertEquals(child, only(second, "child").id(), "no second child");
            assertEquals(InstanceState.SUCCEEDED, second.await(child, Duration.ofSeconds(10)).state());
            assertEquals(Set.of(child), childRuns, "only that child ever ran");
        }
    }
}
