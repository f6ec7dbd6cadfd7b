package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routes a task to a {@link TaskHandler} by component and action (capability-based routing). Of several handlers
 * for one action, the least busy is called (ties: the least used). A handler that goes away while it runs a task
 * (its failure then comes after it left) hands the task to another one, without counting an attempt.
 */
final class HandlerRegistry {
    /** A registered handler and how busy it is. */
    static final class Entry {
        final TaskHandler handler;
        final List<String> components;
        final List<String> actions;
        final Object key;
        final AtomicInteger busy = new AtomicInteger();
        final AtomicLong used = new AtomicLong();
        volatile boolean removed;

        Entry(Object key, TaskHandler handler, Collection<String> components, Collection<String> actions) {
            this.key = key;
            this.handler = handler;
            this.components = List.copyOf(components);
            this.actions = List.copyOf(actions);
        }

        boolean serves(String component, String action) {
            return components.contains(component) && actions.contains(action);
        }
    }

    /** No handler serves a component and action now. */
    static final class NoHandlerException extends Exception {
        private static final long serialVersionUID = 1L;

        NoHandlerException(String component, String action) {
            super("no task handler serves component '" + component + "', action '" + action + "'");
        }
    }

    /** An attempt ran past its timeout and was interrupted. */
    static final class TimeoutExceededException extends Exception {
        private static final long serialVersionUID = 1L;

        TimeoutExceededException(Duration timeout) {
            super("timed out after " + timeout.toMillis() + " ms");
        }
    }

    /**
     * How long a timed-out or cancelled attempt waits for its interrupted handler to return: a handler cleaning up
     * (shell/exec killing its processes) is done when the attempt ends, not after.
     */
    static final Duration CLEANUP_WAIT = Duration.ofSeconds(15);

    /** How long a task waits for a handler of its component and action to be there. */
    static final Duration NO_HANDLER_WAIT = Duration.ofSeconds(30);

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final ExecutorService calls;

    HandlerRegistry(ExecutorService calls) {
        this.calls = calls;
    }

    void add(Object key, TaskHandler handler, Collection<String> components, Collection<String> actions) {
        entries.add(new Entry(key, handler, components, actions));
    }

    void remove(Object key) {
        for (Entry e : entries) {
            if (e.key.equals(key)) {
                e.removed = true;
                entries.remove(e);
            }
        }
    }

    boolean serves(String component, String action) {
        return entries.stream().anyMatch(e -> e.serves(component, action));
    }

    /** @return "component/action" of every handler, sorted */
    List<String> capabilities() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            for (String c : e.components) {
                for (String a : e.actions) {
                    out.add(c + "/" + a);
                }
            }
        }
        return out.stream().distinct().sorted().toList();
    }

    /** Interrupts a handler and waits a while for it to return (a cancel while waiting gives up the wait). */
    private static void stop(Future<?> f, java.util.concurrent.atomic.AtomicBoolean began,
            java.util.concurrent.CountDownLatch returned) {
        f.cancel(true);
        if (!began.compareAndSet(false, true)) { // it began: wait for it to return
            try {
                returned.await(CLEANUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Entry pick(String component, String action) {
        Entry best = null;
        for (Entry e : entries) {
            if (e.serves(component, action) && (best == null || e.busy.get() < best.busy.get()
                    || (e.busy.get() == best.busy.get() && e.used.get() < best.used.get()))) {
                best = e;
            }
        }
        return best;
    }

    /**
     * Calls a handler for one attempt: on this thread, or with a deadline on a pool thread watched until then.
     *
     * @throws Exception what the handler threw, {@link NoHandlerException} or {@link TimeoutExceededException}
     */
    Map<String, Object> call(TaskContext context, Duration timeout) throws Exception {
        long giveUp = System.nanoTime() + NO_HANDLER_WAIT.toNanos();
        while (true) {
            Entry e = pick(context.component(), context.action());
            if (e == null) {
                // a handler bundle being updated comes back: wait for one a while (within the deadline)
                boolean past = System.nanoTime() > giveUp || (context.deadline() != null
                        && Instant.now().isAfter(context.deadline()));
                if (past) {
                    throw new NoHandlerException(context.component(), context.action());
                }
                Thread.sleep(20);
                continue;
            }
            e.busy.incrementAndGet();
            e.used.incrementAndGet();
            if (context.deadline() == null) {
                // no timeout to watch: the task's own thread calls the handler (a cancel interrupts it there)
                try {
                    Map<String, Object> out = e.handler.execute(context);
                    return out == null ? Map.of() : out;
                } catch (InterruptedException x) {
                    throw x;
                } catch (Exception x) {
                    if (e.removed) {
                        continue; // its handler left while it ran: another one takes the task
                    }
                    throw x;
                } finally {
                    e.busy.decrementAndGet();
                }
            }
            java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean began = new java.util.concurrent.atomic.AtomicBoolean();
            Future<Map<String, Object>> f = calls.submit(() -> {
                if (!began.compareAndSet(false, true)) {
                    return null; // given up before it began
                }
                try {
                    return e.handler.execute(context);
                } finally {
                    returned.countDown();
                }
            });
            try {
                Map<String, Object> out = context.deadline() == null ? f.get()
                        : f.get(Math.max(0, Duration.between(Instant.now(), context.deadline()).toNanos()),
                                TimeUnit.NANOSECONDS);
                return out == null ? Map.of() : out;
            } catch (TimeoutException x) {
                stop(f, began, returned);
                throw new TimeoutExceededException(timeout);
            } catch (InterruptedException x) {
                stop(f, began, returned);
                throw x;
            } catch (ExecutionException x) {
                if (e.removed) {
                    continue; // its handler left while it ran: another one takes the task
                }
                throw x.getCause() instanceof Exception ex ? ex : new IllegalStateException(x.getCause());
            } finally {
                e.busy.decrementAndGet();
            }
        }
    }
}
