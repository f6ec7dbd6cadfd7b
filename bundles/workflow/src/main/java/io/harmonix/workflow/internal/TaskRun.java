package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A task of an {@link InstanceRun}: where it stands, and what the instance's scheduling needs to know of it. */
final class TaskRun {
    final Model.Task task;
    final List<TaskRun> dependents = new ArrayList<>();
    int waitingFor;
    /** Once ready: the history entry that must be durable before it starts (see InstanceRun#settle). */
    long after;
    volatile TaskState state = TaskState.PENDING;
    final AtomicInteger attempts = new AtomicInteger();
    volatile Instant startedAt;
    volatile Instant endedAt;
    volatile Map<String, Object> output;
    volatile String reason;
    Future<?> future;
    /** for_each items done before a crash (index -> output), and the last repeat iteration done */
    final Map<Integer, Object> itemsDone = new ConcurrentHashMap<>();
    volatile int lastIteration;
    volatile Map<String, Object> lastIterationOutput;

    TaskRun(Model.Task task) {
        this.task = task;
    }

    TaskInfo info() {
        return new TaskInfo(task.id(), state, attempts.get(), startedAt, endedAt, output, reason);
    }
}
