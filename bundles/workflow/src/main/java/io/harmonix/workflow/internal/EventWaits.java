package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.Event;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code event/wait} side of the {@link EventHub}. A dispatched event goes to every wait that is waiting for
 * it; when none is, and a waiting task of a running instance could match it ({@code awaitable}), it is kept, within
 * the {@link EventWindow} (by age, and by count per subject, its correlation key), for a wait that starts a moment
 * later: the first such wait consumes it, so it is not taken twice. As Temporal keeps a signal sent before the
 * workflow waits for it; here only in memory, so a restart forgets what was kept.
 */
final class EventWaits {
    private record Waiter(Pattern type, String filter, Instant since, Consumer<Event> consumer) {
    }

    private final Predicate<Event> awaitable;
    private final EventWindow window;
    private final Consumer<String> warn;
    /** Guards both lists: an event is either handed to a waiter or kept, never lost between the two. */
    private final Object lock = new Object();
    private final List<Waiter> waiters = new ArrayList<>();
    private final Map<String, ArrayDeque<Event>> kept = new HashMap<>();

    EventWaits(Predicate<Event> awaitable, EventWindow window, Consumer<String> warn) {
        this.awaitable = awaitable;
        this.window = window;
        this.warn = warn;
    }

    /** @return whether a wait is waiting for the event, or one could come for it (so it must be dispatched) */
    boolean wants(Event e) {
        synchronized (lock) {
            for (Waiter w : waiters) {
                if (matches(e, w)) {
                    return true;
                }
            }
        }
        return keeping() && awaitable.test(e);
    }

    /** On the dispatch thread: hands the event to the waits waiting for it, or keeps it for one to come. */
    void offer(Event e) {
        List<Waiter> taking = new ArrayList<>();
        synchronized (lock) {
            for (Waiter w : waiters) {
                if (matches(e, w)) {
                    taking.add(w);
                }
            }
            waiters.removeAll(taking);
            if (taking.isEmpty() && keeping() && awaitable.test(e)) {
                ArrayDeque<Event> q = kept.computeIfAbsent(key(e), k -> new ArrayDeque<>());
                q.addLast(e);
                while (q.size() > window.perKey()) {
                    q.removeFirst();
                }
            }
            prune();
        }
        taking.forEach(w -> w.consumer().accept(e));
    }

    /**
     * Waits for an event: the oldest kept one that matches and was published at or after {@code since} (the wait's
     * instance started) is consumed at once; else the next matching one dispatched.
     *
     * @return closing it ends the wait
     */
    AutoCloseable take(String typePattern, String filter, Instant since, Consumer<Event> consumer) {
        Waiter w = new Waiter(EventHub.glob(typePattern), filter, since, consumer);
        Event found = null;
        synchronized (lock) {
            prune();
            for (ArrayDeque<Event> q : kept.values()) {
                for (Event e : q) {
                    if (!e.time().isBefore(since) && (found == null || e.time().isBefore(found.time()))
                            && matches(e, w)) {
                        found = e;
                    }
                }
            }
            if (found != null) {
                ArrayDeque<Event> q = kept.get(key(found));
                q.remove(found);
                if (q.isEmpty()) {
                    kept.remove(key(found));
                }
            } else {
                waiters.add(w);
            }
        }
        if (found != null) {
            consumer.accept(found);
        }
        return () -> {
            synchronized (lock) {
                waiters.remove(w);
            }
        };
    }

    private boolean keeping() {
        return window.perKey() > 0 && !window.age().isZero();
    }

    private static String key(Event e) {
        return e.subject() == null ? "" : e.subject();
    }

    /** Drops what is older than the window. Under the lock. */
    private void prune() {
        Instant oldest = Instant.now().minus(window.age());
        for (Iterator<ArrayDeque<Event>> i = kept.values().iterator(); i.hasNext(); ) {
            ArrayDeque<Event> q = i.next();
            while (!q.isEmpty() && q.peekFirst().time().isBefore(oldest)) {
                q.removeFirst();
            }
            if (q.isEmpty()) {
                i.remove();
            }
        }
    }

    private boolean matches(Event e, Waiter w) {
        try {
            return EventHub.matches(e, w.type(), w.filter());
        } catch (RuntimeException x) {
            warn.accept("event " + e.type() + " " + e.id() + ": a wait's filter failed: " + x.getMessage());
            return false;
        }
    }

    /**
     * @return true when an {@code event/wait} task of a running instance, not ended yet, could match the event (its
     *     type pattern does; one given by an expression could match anything): such an event is kept
     */
    static boolean awaitable(java.util.Collection<InstanceRun> runs, Event e) {
        for (InstanceRun run : runs) {
            if (run.state().finished()) {
                continue;
            }
            for (Model.Task t : run.workflow.tasks().values()) {
                if (!t.component().equals("event") || !t.action().equals("wait")) {
                    continue;
                }
                TaskRun task = run.task(t.id());
                if (task == null || task.state.terminal()) {
                    continue;
                }
                Object type = t.input() == null ? null : t.input().getOrDefault("type", "*");
                if (!(type instanceof String s) || Expressions.isTemplate(s)
                        || EventHub.glob(s).matcher(e.type()).matches()) {
                    return true;
                }
            }
        }
        return false;
    }
}
