package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.TaskContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The work of a task of an instance, on a pool thread: its input evaluated, its handler called through its attempts
 * (retry with backoff and jitter, timeout), once, for each item (for_each, in parallel up to its limit) or for each
 * iteration (repeat, until its condition holds). Each item and iteration is recorded as it succeeds: a resumed
 * instance does not do it again. Which task runs, and what its end means for the instance, is
 * {@link InstanceRun}'s business.
 */
final class TaskWork {
    private final InstanceRun run;
    private final HandlerRegistry handlers;
    private final ExecutorService pool;
    private final InstanceRun.Journal journal;

    TaskWork(InstanceRun run, HandlerRegistry handlers, ExecutorService pool, InstanceRun.Journal journal) {
        this.run = run;
        this.handlers = handlers;
        this.pool = pool;
        this.journal = journal;
    }

    /**
     * @return the task's output
     * @throws InterruptedException when it was cancelled
     * @throws Exception why it failed
     */
    Map<String, Object> perform(TaskRun t) throws Exception {
        Model.Task task = t.task;
        if (task.forEachItems() != null) {
            return forEach(t);
        } else if (task.repeatUntil() != null) {
            return repeat(t);
        }
        return attempts(t, Map.of(), run.id + "/" + task.id());
    }

    /**
     * Evaluates the task's input within its bound.
     *
     * @throws InterruptedException when a cancel interrupted the evaluation
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> resolveInput(Model.Task task, Map<String, Object> locals, Bound bound)
            throws InterruptedException {
        try {
            return (Map<String, Object>) Expressions.resolve(task.input(), run.vars(locals), bound);
        } catch (Bound.Cut e) {
            if (e.interrupted) {
                throw new InterruptedException(e.getMessage());
            }
            throw new IllegalArgumentException("input: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input: " + e.getMessage());
        }
    }

    /**
     * Evaluates the input, then calls the handler through the attempts. The evaluation counts against the first
     * attempt's timeout: the handler gets what is left of it.
     */
    private Map<String, Object> attempts(TaskRun t, Map<String, Object> locals, String key) throws Exception {
        Model.Task task = t.task;
        Instant begun = Instant.now();
        Map<String, Object> in = resolveInput(task, locals, Bound.of(task.timeout()));
        Model.Retry retry = task.retry();
        for (int attempt = 1; ; attempt++) {
            t.attempts.incrementAndGet();
            Instant deadline = task.timeout() == null ? null : (attempt == 1 ? begun : Instant.now())
                    .plus(task.timeout());
            try {
                return handlers.call(new TaskContext(run.id, task.id(), task.component(), task.action(), in, attempt,
                        deadline, key), task.timeout());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                journal.record(run, HistoryKind.ATTEMPT_FAILED, task.id(), Map.of("attempt", attempt, "error",
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
        Object items = task.forEachItems() instanceof String s
                ? bounded(() -> Expressions.evaluate(s, run.vars(Map.of()), Bound.of(task.timeout())))
                : task.forEachItems();
        if (items instanceof Object[] array) {
            items = Arrays.asList(array); // split() and friends give arrays
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
                        results[index] = attempts(t, locals, run.id + "/" + task.id() + "/" + index);
                        Map<String, Object> data = new HashMap<>();
                        data.put("index", index);
                        data.put("output", results[index]);
                        journal.record(run, HistoryKind.ITEM_SUCCEEDED, task.id(), data, null);
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
        out.put("items", Arrays.asList(results));
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
                last = attempts(t, locals, run.id + "/" + task.id() + "/" + iteration);
                Map<String, Object> data = new HashMap<>();
                data.put("iteration", iteration);
                data.put("output", last);
                journal.record(run, HistoryKind.ITERATION_SUCCEEDED, task.id(), data, null);
                journal.forget(run, task.id(), HistoryKind.ITERATION_SUCCEEDED, InstanceRun.ITERATIONS_KEPT);
            }
            Map<String, Object> untilVars = new HashMap<>(locals);
            untilVars.put("output", last);
            if (bounded(() -> Expressions.test(task.repeatUntil(), run.vars(untilVars), Bound.of(task.timeout())))) {
                Map<String, Object> out = new LinkedHashMap<>(last);
                out.put("iterations", iteration);
                return out;
            }
        }
        throw new IllegalStateException("repeat: until (" + task.repeatUntil() + ") still false after "
                + task.repeatMax() + " iterations");
    }

    /** @throws InterruptedException when a cancel interrupted the evaluation (the task ends cancelled, not failed) */
    private static <T> T bounded(java.util.function.Supplier<T> evaluation) throws InterruptedException {
        try {
            return evaluation.get();
        } catch (Bound.Cut e) {
            if (e.interrupted) {
                throw new InterruptedException(e.getMessage());
            }
            throw e;
        }
    }
}
