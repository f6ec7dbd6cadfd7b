package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
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
import java.util.function.Consumer;

/**
 * One running workflow instance. Tasks start when their dependencies have ended (a count per task, so a
 * 10 000-task graph costs one visit per edge), at most the workflow's parallelism at once; each runs on a pool
 * thread through its attempts (retry, backoff, timeout), its items (for_each) or iterations (repeat), which
 * {@link TaskWork} does. The decisions (run, skip, fail a join ({@link Joins}), fail the workflow, compensate) are
 * taken under this object's lock. Every change is recorded in the instance's history (kinds: {@link HistoryKind})
 * before it takes effect, and {@link #recover} reads that history back after a crash.
 *
 * <p>Why over 500 lines in one class: the per-task work ({@link TaskWork}), the join verdicts ({@link Joins}), the
 * history's storage ({@link InstanceJournal}), its replay ({@link InstanceRecovery}) and the expressions' bounds
 * ({@link Bound}) are already out. What is left is the instance's state machine: each decision reads and changes the
 * same task states under one lock, and writes its history entry before it takes effect; {@code when} and
 * {@code output} are evaluated off that lock and their results brought back under it, which is what grew it past
 * 500. Splitting the decisions up would spread that lock across classes.
 */
final class InstanceRun {
    /**
     * Where state changes go (a no-op without a database). An entry is queued, not written, by {@code record}: the
     * journal tells the instance through {@link #durable} when its entries are in the database, and what depends on
     * one waits for that (see {@link #settle}).
     */
    interface Journal {
        Journal NONE = (run, kind, task, data, state) -> { };

        /** @param state the instance's new state, or null when it does not change */
        void record(InstanceRun run, HistoryKind kind, String task, Map<String, Object> data, InstanceState state);

        /**
         * Writes the entries queued so far unless another thread is writing them: called out of the instance's lock
         * by a thread whose entry others wait for (a task that ended), so that a chain goes on without a hand-off.
         */
        default void flush() {
        }

        /** Deletes entries that no longer matter (old loop iterations): long loops keep a bounded history. */
        default void forget(InstanceRun run, String task, HistoryKind kind, int keep) {
        }
    }

    /** Iterations of a repeat whose details the history keeps (older ones are deleted as the loop goes). */
    static final int ITERATIONS_KEPT = 10;

    final String id;
    final Model.Workflow workflow;
    final Map<String, Object> input;
    final Instant startedAt;
    private final Map<String, TaskRun> tasks = new LinkedHashMap<>();
    private final Map<String, Object> tasksView = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private final Consumer<TaskInfo> progress;
    private final Consumer<InstanceRun> finished;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Deque<TaskRun> ready = new ArrayDeque<>();
    private int running;
    /** when conditions and the output being evaluated on pool threads, off this lock (the instance waits for them) */
    private int evaluating;
    private boolean outputDone;
    private Map<String, Object> computedOutput;
    private String outputError;
    /** the threads evaluating them, to interrupt on cancel (a Future cancelled before it ran would never count down) */
    private final Map<Object, Thread> evaluators = new HashMap<>();
    private int ended;
    private int toEnd;
    private String failure;
    private String compensation;
    private volatile InstanceState state = InstanceState.RUNNING;
    private final Journal journal;
    private final TaskWork work;
    final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    /**
     * The last history entry known durable: a ready task starts only once the entries that made it ready are (its
     * {@code after}), and the instance is done only once its last entry is. Entries recorded without a journal
     * never move {@link #sequence}, so then everything counts as durable at once.
     */
    private long durable;
    /** The entry that finished the instance, once it has; done is told when it is durable. */
    private long finishedAt = -1;
    private boolean started;
    private boolean paused;
    private boolean cancelled;
    private boolean recovering;
    /** Another runtime holds the instance's lease now: it records nothing more here, and starts nothing. */
    private volatile boolean abandoned;
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
        this.work = new TaskWork(this, handlers, pool, journal);
        this.startedAt = startedAt;
        this.id = id;
        this.workflow = workflow;
        this.input = Map.copyOf(input);
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
     * Brings the instance to where its history says it was: ended tasks keep their state, output and times (they
     * do not run again), tasks that had started and not ended run again (with the same idempotency keys).
     */
    synchronized void recover(List<io.harmonix.workflow.api.HistoryEvent> history) {
        recovering = true;
        InstanceRecovery.replay(this, history);
        recovering = false;
    }

    // ---- recovery hooks, for InstanceRecovery under this object's lock

    TaskRun task(String taskId) {
        return tasks.get(taskId);
    }

    void recoveredEnd(TaskRun t, TaskState s, Map<String, Object> out, String reason, Instant at) {
        end(t, s, out, reason, false, at);
    }

    void recoveredRunning(TaskRun t) {
        rerun.add(t);
    }

    void recoveredControl(boolean wasPaused, boolean wasCancelled) {
        paused = wasPaused;
        cancelled = cancelled || wasCancelled;
        if (paused) {
            state = InstanceState.PAUSED;
        }
    }

    void start() {
        synchronized (this) {
            started = true;
            durable = Math.max(durable, sequence.get()); // read back from the database, or written by the start
            if (cancelled) {
                cancelAll();
            }
            for (TaskRun t : rerun) {
                t.waitingFor = 0;
                makeReady(t); // its dependencies had ended and its condition held: it runs again as it was
            }
            rerun.clear();
            if (failure != null && !cancelled) {
                TaskRun c = compensation == null ? null : tasks.get(compensation);
                if (c != null && c.state == TaskState.PENDING && !ready.contains(c)) {
                    c.after = sequence.get();
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
        outputDone = false;
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
        journal.record(this, HistoryKind.INSTANCE_RETRIED, null, data, InstanceState.RUNNING);
        awaitDurable();
    }

    synchronized InstanceInfo pause() {
        if (!state.finished() && !paused) {
            paused = true;
            state = InstanceState.PAUSED;
            journal.record(this, HistoryKind.INSTANCE_PAUSED, null, Map.of(), InstanceState.PAUSED);
            awaitDurable();
        }
        return info();
    }

    synchronized InstanceInfo resume() {
        if (!state.finished() && paused) {
            paused = false;
            state = InstanceState.RUNNING;
            journal.record(this, HistoryKind.INSTANCE_RESUMED, null, Map.of(), InstanceState.RUNNING);
            settle();
            awaitDurable();
        }
        return info();
    }

    synchronized InstanceInfo cancel() {
        if (!state.finished() && !cancelled) {
            cancelled = true;
            journal.record(this, HistoryKind.INSTANCE_CANCELLED, null, Map.of(), null);
            cancelAll();
            settle();
            awaitDurable();
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
        stopEvaluations();
        ready.clear();
        for (TaskRun other : tasks.values()) {
            if (other.state == TaskState.PENDING) {
                end(other, TaskState.CANCELLED, null, "cancelled");
            }
        }
    }

    /**
     * Stops the instance here without recording anything: another runtime holds its lease and goes on with it from
     * its history. Running tasks are interrupted (their ends are not recorded), nothing more starts, and the engine
     * forgets it; those waiting for it read it from the database.
     */
    synchronized void abandon() {
        abandoned = true;
        paused = true; // settle() starts nothing more
        ready.clear();
        for (TaskRun t : tasks.values()) {
            if (t.state == TaskState.RUNNING && t.future != null) {
                t.future.cancel(true);
            }
        }
        stopEvaluations();
        notifyAll(); // commands waiting for an entry to be durable: it never will be here
    }

    boolean abandoned() {
        return abandoned;
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
        var verdict = Joins.verdict(t, tasks);
        if (verdict.isPresent()) {
            end(t, verdict.get().state(), null, verdict.get().reason());
            return;
        }
        if (t.task.when() != null) {
            // evaluated on a pool thread, not under this lock: a condition that takes long (up to the task's
            // timeout) must not keep cancel, pause or resume waiting; cancel interrupts it
            evaluating++;
            pool.submit(() -> condition(t));
            return;
        }
        makeReady(t);
    }

    /** Queues a task to start once the history entries so far (those that made it ready among them) are durable. */
    private void makeReady(TaskRun t) {
        t.after = sequence.get();
        ready.add(t);
    }

    /**
     * Called by the journal: the history is in the database up to {@code sequence}. Starts the tasks that waited for
     * it, and tells those waiting for the instance to end once its last entry is durable.
     */
    synchronized void durable(long sequence) {
        if (sequence <= durable) {
            return;
        }
        durable = sequence;
        notifyAll();
        if (started) { // a rebuilt instance recording its retry is not under way yet: start() settles it
            settle();
            completeIfDurable();
        }
    }

    /** Waits (releasing the lock) until the history is durable up to the last entry recorded: for commands. */
    private void awaitDurable() {
        long mine = sequence.get();
        boolean interrupted = false;
        while (durable < mine && !abandoned) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void completeIfDurable() {
        if (finishedAt >= 0 && durable >= finishedAt && done.getCount() > 0) {
            done.countDown();
            finished.accept(this);
        }
    }

    /** Evaluates a task's when, then (under the lock) skips it, fails it, or makes it ready. */
    private void condition(TaskRun t) {
        boolean holds = false;
        String error = null;
        if (evaluator(t)) {
            try {
                holds = Expressions.test(t.task.when(), vars(Map.of()), Bound.of(t.task.timeout()));
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
        }
        synchronized (this) {
            evaluating--;
            evaluators.remove(t);
            // an interrupt meant for the evaluation must not reach the history's database writes below (no other
            // can come: interrupts are sent under this lock, to registered evaluators only)
            Thread.interrupted();
            if (t.state == TaskState.PENDING) { // else cancelled (or the workflow failed) meanwhile
                if (failure != null) {
                    end(t, TaskState.CANCELLED, null, "not started: the workflow failed");
                } else if (error != null) {
                    end(t, TaskState.FAILED, null, "when: " + error);
                } else if (!holds) {
                    end(t, TaskState.SKIPPED, null, "when is false: " + t.task.when());
                } else {
                    makeReady(t);
                }
            }
            settle();
        }
    }

    /** The workflow's output, evaluated on a pool thread (not under this lock), then the instance finishes. */
    private void computeOutput() {
        Map<String, Object> out = null;
        String error = null;
        if (evaluator(workflow)) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> o = (Map<String, Object>) Expressions.resolve(workflow.output(), vars(Map.of()));
                out = o;
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
        }
        synchronized (this) {
            evaluating--;
            evaluators.remove(workflow);
            Thread.interrupted(); // as in condition(): the interrupt was for the evaluation
            computedOutput = out;
            outputError = error;
            outputDone = true;
            settle();
        }
    }

    /** @return false when cancelled before it began: then nothing is to be evaluated */
    private synchronized boolean evaluator(Object what) {
        if (cancelled || (what instanceof TaskRun t && (t.state != TaskState.PENDING || failure != null))) {
            return false;
        }
        evaluators.put(what, Thread.currentThread());
        return true;
    }

    /** Interrupts the conditions and the output being evaluated (a cancel, a failure). */
    private void stopEvaluations() {
        evaluators.values().forEach(Thread::interrupt);
    }

    /**
     * Starts ready tasks up to the parallelism, each once the history entries that made it ready are durable (a
     * task that succeeded must never run again after a crash, and its dependents must not run before it counts);
     * ends the instance when every task has ended.
     */
    private void settle() {
        while (!paused && !ready.isEmpty() && running < workflow.parallelism() && ready.peek().after <= durable) {
            launch(ready.poll());
        }
        if (ended == toEnd && running == 0 && evaluating == 0 && !state.finished()) {
            if (failure == null && !cancelled && !outputDone) {
                evaluating++;
                pool.submit(this::computeOutput);
                return;
            }
            finish();
        }
    }

    private void launch(TaskRun t) {
        running++;
        // not waited for: a task whose start is lost in a crash is pending on resume and runs then, as a started
        // one would (same idempotency key); its end entry, queued after this one, is never durable without it
        journal.record(this, HistoryKind.TASK_STARTED, t.task.id(), Map.of(), null);
        t.state = TaskState.RUNNING;
        t.startedAt = Instant.now();
        progress.accept(t.info());
        t.future = pool.submit(() -> execute(t));
    }

    /** A task reached its final state: tell its dependents, and fail or compensate when it may not fail. */
    private void end(TaskRun t, TaskState s, Map<String, Object> out, String reason) {
        end(t, s, out, reason, true, Instant.now());
    }

    /**
     * @param record false while recovering: the history already says so
     * @param at when it ended (while recovering, when the history says it did)
     */
    private void end(TaskRun t, TaskState s, Map<String, Object> out, String reason, boolean record, Instant at) {
        if (record) {
            Map<String, Object> data = new HashMap<>();
            data.put("output", out);
            data.put("reason", reason);
            data.put("attempts", t.attempts.get());
            // durable before anything depends on it: a task that succeeded never runs again
            journal.record(this, HistoryKind.taskEnded(s), t.task.id(), data, null);
        }
        t.state = s;
        t.output = out;
        t.reason = reason;
        t.endedAt = at;
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
                    c.after = sequence.get();
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
            stopEvaluations();
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

    private void ended(TaskRun t, TaskState s, Map<String, Object> out, String reason) {
        synchronized (this) {
            running--;
            if (t.state == TaskState.RUNNING) {
                end(t, s, out, reason);
            }
            settle();
        }
        journal.flush(); // the end entry, which the dependents wait for, written by this thread when it can
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
        } else if (outputError == null) {
            output = computedOutput;
            state = InstanceState.SUCCEEDED;
        } else {
            error = "output: " + outputError;
            state = InstanceState.FAILED;
        }
        endedAt = Instant.now();
        Map<String, Object> data = new HashMap<>();
        data.put("state", state.name());
        data.put("output", output);
        data.put("error", error);
        journal.record(this, HistoryKind.INSTANCE_FINISHED, null, data, state);
        finishedAt = sequence.get();
        completeIfDurable();
    }

    /** @return what expressions of this instance see: its input, its tasks so far, and {@code locals} */
    Map<String, Object> vars(Map<String, Object> locals) {
        Map<String, Object> vars = new HashMap<>(locals);
        vars.put("input", input);
        vars.put("tasks", tasksView);
        return vars;
    }

    // ---- work, on a pool thread

    private void execute(TaskRun t) {
        try {
            Map<String, Object> out = work.perform(t);
            ended(t, TaskState.SUCCEEDED, out, null);
        } catch (InterruptedException e) {
            ended(t, TaskState.CANCELLED, null, "cancelled: the workflow failed");
        } catch (Exception | LinkageError | StackOverflowError e) {
            // whatever went wrong, the task ends: an instance never waits for a task that died
            ended(t, TaskState.FAILED, null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
