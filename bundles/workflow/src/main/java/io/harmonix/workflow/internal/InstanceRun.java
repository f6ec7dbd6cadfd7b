package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One running workflow instance. Tasks start when their dependencies have ended (a count per task, so a
 * 10 000-task graph costs one visit per edge), at most the workflow's parallelism at once; each runs on a pool
 * thread through its attempts (retry, backoff, timeout), its items (for_each) or iterations (repeat). The
 * decisions (run, skip, fail a join, fail the workflow, compensate) are taken under this object's lock.
 */
final class InstanceRun {
    /** Where state changes go, each durable before it takes effect (a no-op without a database). */
    interface Journal {
        Journal NONE = (run, kind, task, data, state) -> { };

        /** @param state the instance's new state, or null when it does not change */
        void record(InstanceRun run, String kind, String task, Map<String, Object> data, InstanceState state);

        /** Deletes an entry that no longer matters (an old loop iteration): long loops keep a bounded history. */
        default void forget(InstanceRun run, String task, String kind, int keep) {
        }
    }

    /** Iterations of a repeat whose details the history keeps (older ones are deleted as the loop goes). */
    static final int ITERATIONS_KEPT = 10;

    /** A task of this instance. */
    static final class TaskRun {
        final Model.Task task;
        final List<TaskRun> dependents = new ArrayList<>();
        int waitingFor;
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

    final String id;
    final Model.Workflow workflow;
    final Map<String, Object> input;
    final Instant startedAt;
    private final Map<String, TaskRun> tasks = new LinkedHashMap<>();
    private final Map<String, Object> tasksView = new ConcurrentHashMap<>();
    private final HandlerRegistry handlers;
    private final ExecutorService pool;
    private final Consumer<TaskInfo> progress;
    private final Consumer<InstanceRun> finished;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Deque<TaskRun> ready = new ArrayDeque<>();
    private int running;
    private int ended;
    private int toEnd;
    private String failure;
    private String compensation;
    private volatile InstanceState state = InstanceState.RUNNING;
    private final Journal journal;
    final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private boolean paused;
    private boolean cancelled;
    private boolean recovering;
    private final List<TaskRun> rerun = new ArrayList<>();
    private volatile Instant endedAt;
    private volatile Map<String, Object> output;
    private volatile String error;

    InstanceRun(String id, Model.Workflow workflow, Map<String, Object> input, HandlerRegistry handlers,
            ExecutorService pool, Consumer<TaskInfo> progress, Consumer<InstanceRun> finished) {
        this(id, workflow, input, Instant.now(), handlers, pool, progress, finished, Journal.NONE);
    }

    InstanceRun(String id, Model.Workflow workflow, Map<String, Object> input, Instant startedAt,
            HandlerRegistry handlers, ExecutorService pool, Consumer<TaskInfo> progress,
            Consumer<InstanceRun> finished, Journal journal) {
        this.journal = journal;
        this.startedAt = startedAt;
        this.id = id;
        this.workflow = workflow;
        this.input = Map.copyOf(input);
        this.handlers = handlers;
        this.pool = pool;
        this.progress = progress == null ? t -> { } : progress;
        this.finished = finished;
        workflow.tasks().values().forEach(t -> tasks.put(t.id(), new TaskRun(t)));
        for (TaskRun t : tasks.values()) {
            t.waitingFor = t.task.dependsOn().size();
            t.task.dependsOn().forEach(d -> tasks.get(d).dependents.add(t));
            if (!t.task.compensation()) {
                toEnd++;
            }
        }
    }

    /**
     * Brings the instance to where its history says it was: ended tasks keep their state and output (they do not
     * run again), tasks that had started and not ended run again (with the same idempotency keys).
     */
    synchronized void recover(List<io.harmonix.workflow.api.HistoryEvent> history) {
        recovering = true;
        Map<String, Integer> failedAttempts = new HashMap<>();
        java.util.Set<String> started = new java.util.LinkedHashSet<>();
        for (var e : history) {
            sequence.set(Math.max(sequence.get(), e.sequence()));
            TaskRun t = e.task() == null ? null : tasks.get(e.task());
            switch (e.kind()) {
                case "task.started" -> started.add(e.task());
                case "attempt.failed" -> failedAttempts.merge(e.task(), 1, Integer::sum);
                case "task.succeeded", "task.failed", "task.skipped", "task.cancelled" -> {
                    started.remove(e.task());
                    if (t != null && t.state == TaskState.PENDING) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> out = (Map<String, Object>) e.data().get("output");
                        t.attempts.set(((Number) e.data().getOrDefault("attempts", 0)).intValue());
                        end(t, TaskState.valueOf(e.kind().substring(5).toUpperCase(Locale.ROOT)), out,
                                (String) e.data().get("reason"), false);
                    }
                }
                case "item.succeeded" -> {
                    if (t != null) {
                        t.itemsDone.put(((Number) e.data().get("index")).intValue(), e.data().get("output"));
                    }
                }
                case "iteration.succeeded" -> {
                    if (t != null) {
                        t.lastIteration = ((Number) e.data().get("iteration")).intValue();
                        @SuppressWarnings("unchecked")
                        Map<String, Object> out = (Map<String, Object>) e.data().get("output");
                        t.lastIterationOutput = out;
                    }
                }
                case "instance.retried" -> {
                    @SuppressWarnings("unchecked")
                    List<String> reset = (List<String>) e.data().get("reset");
                    started.removeAll(reset);
                    resetTasks(reset);
                }
                case "instance.paused" -> paused = true;
                case "instance.resumed" -> paused = false;
                case "instance.cancelled" -> cancelled = true;
                default -> { }
            }
        }
        for (String id : started) {
            TaskRun t = tasks.get(id);
            if (t != null && t.state == TaskState.PENDING) {
                t.attempts.set(failedAttempts.getOrDefault(id, 0));
                rerun.add(t);
            }
        }
        if (paused) {
            state = InstanceState.PAUSED;
        }
        recovering = false;
    }

    void start() {
        synchronized (this) {
            if (cancelled) {
                cancelAll();
            }
            for (TaskRun t : rerun) {
                t.waitingFor = 0;
                ready.add(t); // its dependencies had ended and its condition held: it runs again as it was
            }
            rerun.clear();
            if (failure != null && !cancelled) {
                TaskRun c = compensation == null ? null : tasks.get(compensation);
                if (c != null && c.state == TaskState.PENDING && !ready.contains(c)) {
                    ready.addFirst(c);
                }
                ready.removeIf(r -> !r.task.compensation());
                for (TaskRun t : tasks.values()) {
                    if (t.state == TaskState.PENDING && !t.task.compensation()) {
                        end(t, TaskState.CANCELLED, null, "not started: the workflow failed");
                    }
                }
            }
            for (TaskRun t : tasks.values()) {
                if (ready.contains(t) || t.state != TaskState.PENDING) {
                    continue;
                }
                if (t.waitingFor == 0 && !t.task.compensation()) {
                    decide(t);
                }
            }
            settle();
        }
    }

    /** @return the tasks a retry runs again: those that did not succeed, and {@code from} with its downstream */
    synchronized List<String> retryable(String from) {
        java.util.Set<String> reset = new java.util.LinkedHashSet<>();
        if (from != null) {
            if (!tasks.containsKey(from)) {
                throw new IllegalArgumentException("unknown task '" + from + "'; tasks: " + String.join(", ",
                        tasks.keySet()));
            }
            List<TaskRun> todo = new ArrayList<>(List.of(tasks.get(from)));
            while (!todo.isEmpty()) {
                TaskRun t = todo.remove(todo.size() - 1);
                if (reset.add(t.task.id())) {
                    todo.addAll(t.dependents);
                }
            }
        }
        for (TaskRun t : tasks.values()) {
            if (t.state != TaskState.SUCCEEDED && !t.task.compensation()) {
                reset.add(t.task.id());
            }
        }
        return new ArrayList<>(reset);
    }

    /** Puts tasks back to pending (a retry), and the instance back to running. */
    synchronized void resetTasks(java.util.Collection<String> ids) {
        for (String id : ids) {
            TaskRun t = tasks.get(id);
            if (t == null) {
                continue;
            }
            if (t.state.terminal() && !t.task.compensation()) {
                ended--;
            }
            t.state = TaskState.PENDING;
            t.output = null;
            t.reason = null;
            t.endedAt = null;
            t.attempts.set(0);
            t.itemsDone.clear();
            t.lastIteration = 0;
            t.lastIterationOutput = null;
            tasksView.remove(id);
        }
        for (TaskRun t : tasks.values()) {
            if (t.task.compensation() && t.state.terminal()) {
                t.state = TaskState.PENDING; // a new failure may need it again
                t.reason = null;
                tasksView.remove(t.task.id());
            }
            if (t.state == TaskState.PENDING) {
                t.waitingFor = (int) t.task.dependsOn().stream().filter(d -> !tasks.get(d).state.terminal()).count();
            }
        }
        failure = null;
        compensation = null;
        cancelled = false;
        paused = false;
        output = null;
        error = null;
        endedAt = null;
        state = InstanceState.RUNNING;
    }

    synchronized void recordRetry(List<String> reset, String from) {
        Map<String, Object> data = new HashMap<>();
        data.put("reset", reset);
        data.put("from", from);
        journal.record(this, "instance.retried", null, data, InstanceState.RUNNING);
    }

    synchronized InstanceInfo pause() {
        if (!state.finished() && !paused) {
            paused = true;
            state = InstanceState.PAUSED;
            journal.record(this, "instance.paused", null, Map.of(), InstanceState.PAUSED);
        }
        return info();
    }

    synchronized InstanceInfo resume() {
        if (!state.finished() && paused) {
            paused = false;
            state = InstanceState.RUNNING;
            journal.record(this, "instance.resumed", null, Map.of(), InstanceState.RUNNING);
            settle();
        }
        return info();
    }

    synchronized InstanceInfo cancel() {
        if (!state.finished() && !cancelled) {
            cancelled = true;
            journal.record(this, "instance.cancelled", null, Map.of(), null);
            cancelAll();
            settle();
        }
        return info();
    }

    /** Interrupts running tasks and ends the pending ones, compensations included. */
    private void cancelAll() {
        if (failure == null) {
            failure = "cancelled";
        }
        for (TaskRun other : tasks.values()) {
            if (other.state == TaskState.RUNNING && other.future != null) {
                other.future.cancel(true);
            }
        }
        ready.clear();
        for (TaskRun other : tasks.values()) {
            if (other.state == TaskState.PENDING) {
                end(other, TaskState.CANCELLED, null, "cancelled");
            }
        }
    }

    boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    InstanceState state() {
        return state;
    }

    String error() {
        return error;
    }

    Map<String, Object> output() {
        return output;
    }

    InstanceInfo info() {
        List<TaskInfo> list = new ArrayList<>();
        tasks.values().forEach(t -> list.add(t.info()));
        return new InstanceInfo(id, workflow.name(), workflow.version(), state, startedAt, endedAt, input, output,
                list, error);
    }

    // ---- decisions, under the lock

    /** A task whose dependencies have all ended: run it, skip it, or fail its join. */
    private void decide(TaskRun t) {
        if (failure != null) {
            end(t, TaskState.CANCELLED, null, "not started: the workflow failed");
            return;
        }
        int succeeded = 0;
        int settled = 0;
        List<String> winners = new ArrayList<>();
        String failedDep = null;
        for (String d : t.task.dependsOn()) {
            TaskRun dep = tasks.get(d);
            if (dep.state == TaskState.SUCCEEDED) {
                succeeded++;
                settled++;
                winners.add(d);
            } else if (dep.state == TaskState.FAILED && dep.task.tolerated()) {
                settled++;
            } else if (dep.state == TaskState.FAILED && failedDep == null) {
                failedDep = d;
            }
        }
        if (!t.task.dependsOn().isEmpty()) {
            switch (t.task.join()) {
                case ALL -> {
                    if (failedDep != null) {
                        end(t, TaskState.SKIPPED, null, "dependency " + failedDep + " failed");
                        return;
                    }
                    if (settled == 0) {
                        end(t, TaskState.SKIPPED, null, "no dependency ran (branch not taken)");
                        return;
                    }
                }
                case ANY -> {
                    if (succeeded == 0) {
                        end(t, TaskState.SKIPPED, null, "join any: no dependency succeeded");
                        return;
                    }
                }
                case ONE -> {
                    if (succeeded > 1) {
                        end(t, TaskState.FAILED, null, "join one: " + succeeded + " dependencies succeeded ("
                                + String.join(", ", winners) + "); exactly one may");
                        return;
                    }
                    if (succeeded == 0) {
                        end(t, TaskState.SKIPPED, null, "join one: no dependency succeeded");
                        return;
                    }
                }
            }
        }
        if (t.task.when() != null) {
            try {
                if (!Expressions.test(t.task.when(), vars(Map.of()))) {
                    end(t, TaskState.SKIPPED, null, "when is false: " + t.task.when());
                    return;
                }
            } catch (RuntimeException e) {
                end(t, TaskState.FAILED, null, "when: " + e.getMessage());
                return;
            }
        }
        ready.add(t);
    }

    /** Starts ready tasks up to the parallelism; ends the instance when every task has ended. */
    private void settle() {
        while (!paused && !ready.isEmpty() && running < workflow.parallelism()) {
            launch(ready.poll());
        }
        if (ended == toEnd && running == 0 && !state.finished()) {
            finish();
        }
    }

    private void launch(TaskRun t) {
        running++;
        journal.record(this, "task.started", t.task.id(), Map.of(), null);
        t.state = TaskState.RUNNING;
        t.startedAt = Instant.now();
        progress.accept(t.info());
        t.future = pool.submit(() -> execute(t));
    }

    /** A task reached its final state: tell its dependents, and fail or compensate when it may not fail. */
    private void end(TaskRun t, TaskState s, Map<String, Object> out, String reason) {
        end(t, s, out, reason, true);
    }

    /** @param record false while recovering: the history already says so */
    private void end(TaskRun t, TaskState s, Map<String, Object> out, String reason, boolean record) {
        if (record) {
            Map<String, Object> data = new HashMap<>();
            data.put("output", out);
            data.put("reason", reason);
            data.put("attempts", t.attempts.get());
            // durable before anything depends on it: a task that succeeded never runs again
            journal.record(this, "task." + s.name().toLowerCase(Locale.ROOT), t.task.id(), data, null);
        }
        t.state = s;
        t.output = out;
        t.reason = reason;
        t.endedAt = Instant.now();
        Map<String, Object> view = new HashMap<>();
        view.put("state", s.name().toLowerCase(Locale.ROOT));
        view.put("output", out);
        view.put("error", s == TaskState.FAILED ? reason : null);
        tasksView.put(t.task.id(), view);
        if (!t.task.compensation()) {
            ended++;
        }
        progress.accept(t.info());
        if (s == TaskState.FAILED && !t.task.tolerated() && !t.task.compensation() && failure == null) {
            failure = "task " + t.task.id() + " failed: " + reason;
            String comp = t.task.compensatedBy();
            if (comp != null) {
                compensation = comp;
                TaskRun c = tasks.get(comp);
                if (c.state == TaskState.PENDING && !recovering) {
                    ready.addFirst(c); // settle() starts it before it looks whether the instance has ended
                }
            }
            if (recovering) {
                t.dependents.forEach(d -> d.waitingFor--);
                return; // start() finishes what the failure began, from what the history says
            }
            // the workflow fails: stop what runs, start nothing new (but a compensation)
            for (TaskRun other : tasks.values()) {
                if (other.state == TaskState.RUNNING && other.future != null && !other.task.compensation()) {
                    other.future.cancel(true);
                }
            }
            ready.removeIf(r -> !r.task.compensation());
            for (TaskRun other : tasks.values()) {
                if (other.state == TaskState.PENDING && !other.task.compensation() && other != t) {
                    end(other, TaskState.CANCELLED, null, "not started: the workflow failed");
                }
            }
        }
        for (TaskRun d : t.dependents) {
            if (--d.waitingFor == 0 && d.state == TaskState.PENDING && !d.task.compensation() && !recovering) {
                decide(d);
            }
        }
    }

    private synchronized void ended(TaskRun t, TaskState s, Map<String, Object> out, String reason) {
        running--;
        if (t.state == TaskState.RUNNING) {
            end(t, s, out, reason);
        }
        settle();
    }

    private void finish() {
        for (TaskRun t : tasks.values()) {
            if (t.task.compensation() && t.state == TaskState.PENDING) {
                t.state = TaskState.SKIPPED;
                t.reason = "compensation not needed";
            }
        }
        if (cancelled) {
            error = "cancelled";
            state = InstanceState.CANCELLED;
        } else if (failure != null) {
            TaskRun c = compensation == null ? null : tasks.get(compensation);
            error = failure + (c == null ? "" : "; compensation " + c.task.id() + " "
                    + c.state.name().toLowerCase(Locale.ROOT) + (c.reason == null ? "" : " (" + c.reason + ")"));
            state = InstanceState.FAILED;
        } else {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> out = (Map<String, Object>) Expressions.resolve(workflow.output(), vars(Map.of()));
                output = out;
                state = InstanceState.SUCCEEDED;
            } catch (RuntimeException e) {
                error = "output: " + e.getMessage();
                state = InstanceState.FAILED;
            }
        }
        endedAt = Instant.now();
        Map<String, Object> data = new HashMap<>();
        data.put("state", state.name());
        data.put("output", output);
        data.put("error", error);
        journal.record(this, "instance.finished", null, data, state);
        done.countDown();
        finished.accept(this);
    }

    private Map<String, Object> vars(Map<String, Object> locals) {
        Map<String, Object> vars = new HashMap<>(locals);
        vars.put("input", input);
        vars.put("tasks", tasksView);
        return vars;
    }

    // ---- work, on a pool thread

    private void execute(TaskRun t) {
        Model.Task task = t.task;
        try {
            Map<String, Object> out;
            if (task.forEachItems() != null) {
                out = forEach(t);
            } else if (task.repeatUntil() != null) {
                out = repeat(t);
            } else {
                out = attempts(t, resolveInput(task, Map.of()), id + "/" + task.id());
            }
            ended(t, TaskState.SUCCEEDED, out, null);
        } catch (InterruptedException e) {
            ended(t, TaskState.CANCELLED, null, "cancelled: the workflow failed");
        } catch (Exception | LinkageError | StackOverflowError e) {
            // whatever went wrong, the task ends: an instance never waits for a task that died
            ended(t, TaskState.FAILED, null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resolveInput(Model.Task task, Map<String, Object> locals) {
        try {
            return (Map<String, Object>) Expressions.resolve(task.input(), vars(locals));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input: " + e.getMessage());
        }
    }

    private Map<String, Object> attempts(TaskRun t, Map<String, Object> in, String key) throws Exception {
        Model.Task task = t.task;
        Model.Retry retry = task.retry();
        for (int attempt = 1; ; attempt++) {
            t.attempts.incrementAndGet();
            Instant deadline = task.timeout() == null ? null : Instant.now().plus(task.timeout());
            try {
                return handlers.call(new TaskContext(id, task.id(), task.component(), task.action(), in, attempt,
                        deadline, key), task.timeout());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                journal.record(this, "attempt.failed", task.id(), Map.of("attempt", attempt, "error",
                        String.valueOf(e.getMessage())), null);
                if (attempt >= retry.attempts()) {
                    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    throw new Exception(retry.attempts() > 1 ? m + " (attempt " + attempt + " of " + retry.attempts()
                            + ")" : m, e);
                }
                long wait = retry.after(attempt).toNanos();
                wait += (long) (wait * retry.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1));
                Thread.sleep(Math.max(0, wait / 1_000_000), (int) (Math.max(0, wait) % 1_000_000));
            }
        }
    }

    private Map<String, Object> forEach(TaskRun t) throws Exception {
        Model.Task task = t.task;
        Object items = task.forEachItems() instanceof String s ? Expressions.evaluate(s, vars(Map.of()))
                : task.forEachItems();
        if (items instanceof Object[] array) {
            items = java.util.Arrays.asList(array); // split() and friends give arrays
        }
        if (!(items instanceof List<?> list)) {
            throw new IllegalArgumentException("for_each items gave " + (items == null ? "null"
                    : items.getClass().getSimpleName()) + "; expected a list");
        }
        Object[] results = new Object[list.size()];
        Semaphore slots = new Semaphore(task.forEachParallelism());
        List<Future<?>> futures = new ArrayList<>();
        Exception[] failed = new Exception[1];
        try {
            for (int i = 0; i < list.size(); i++) {
                slots.acquire();
                synchronized (failed) {
                    if (failed[0] != null) {
                        break;
                    }
                }
                int index = i;
                if (t.itemsDone.containsKey(index)) {
                    results[index] = t.itemsDone.get(index); // done before a crash: not run again
                    slots.release();
                    continue;
                }
                futures.add(pool.submit(() -> {
                    try {
                        Map<String, Object> locals = Map.of("item", list.get(index), "index", index);
                        results[index] = attempts(t, resolveInput(task, locals), id + "/" + task.id() + "/" + index);
                        Map<String, Object> data = new HashMap<>();
                        data.put("index", index);
                        data.put("output", results[index]);
                        journal.record(this, "item.succeeded", task.id(), data, null);
                    } catch (Exception e) {
                        synchronized (failed) {
                            if (failed[0] == null) {
                                failed[0] = new Exception("item " + index + ": " + e.getMessage(), e);
                            }
                        }
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", java.util.Arrays.asList(results));
        return out;
    }

    private Map<String, Object> repeat(TaskRun t) throws Exception {
        Model.Task task = t.task;
        Map<String, Object> last = Map.of();
        int first = 1;
        if (t.lastIteration > 0 && t.lastIterationOutput != null) {
            // iterations done before a crash count: go on after the last one
            first = t.lastIteration;
            last = t.lastIterationOutput;
        }
        for (int iteration = first; iteration <= task.repeatMax(); iteration++) {
            Map<String, Object> locals = Map.of("iteration", iteration);
            if (iteration > t.lastIteration || t.lastIterationOutput == null) {
                last = attempts(t, resolveInput(task, locals), id + "/" + task.id() + "/" + iteration);
                Map<String, Object> data = new HashMap<>();
                data.put("iteration", iteration);
                data.put("output", last);
                journal.record(this, "iteration.succeeded", task.id(), data, null);
                journal.forget(this, task.id(), "iteration.succeeded", ITERATIONS_KEPT);
            }
            Map<String, Object> untilVars = new HashMap<>(locals);
            untilVars.put("output", last);
            if (Expressions.test(task.repeatUntil(), vars(untilVars))) {
                Map<String, Object> out = new LinkedHashMap<>(last);
                out.put("iterations", iteration);
                return out;
            }
        }
        throw new IllegalStateException("repeat: until (" + task.repeatUntil() + ") still false after "
                + task.repeatMax() + " iterations");
    }
}
