package io.harmonix.workflow.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The instances of this engine whose tasks wait for a sub-workflow they started ({@code workflow/run}: a task calls
 * {@code startOnce} with its idempotency key, then {@code await} on the child, on one thread). Such a parent does no
 * work of its own while it waits, so it takes no room under {@code maxInstances} ({@link InstanceLeases#room}): its
 * children are then run where there is room, here or on another runtime (offered), and a parent can never hold the
 * only place its own children wait for. A parent counts as waiting from the moment one of its tasks starts (or finds)
 * a child until that task's wait for it ends, or the parent ends or is lost here.
 *
 * <p>Known imprecision, accepted: a parent with other tasks doing work beside the waiting one is not counted either
 * (bounded by its parallelism), which errs toward more work than {@code maxInstances}, never toward a deadlock.
 */
final class WaitingParents {
    /** A child started by a parent's task, and the thread of that task (the one that awaits it). */
    private record Wait(String parent, Thread thread) {
    }

    private final Map<String, Wait> byChild = new ConcurrentHashMap<>();
    private final Map<String, Integer> waitsByParent = new ConcurrentHashMap<>();

    /**
     * @param key a {@code startOnce} key; the engine makes a task's idempotency key as {@code INSTANCE/TASK[/N]}
     *     ({@code TaskWork}), and instance ids have no {@code /}
     * @param runsHere whether an instance id is live in this engine
     * @return the parent instance whose task this key is, when it runs here; otherwise null (not a sub-workflow of
     *     an instance here: a key of another kind, such as a fleet build's)
     */
    static String parentOf(String key, Predicate<String> runsHere) {
        int slash = key.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String parent = key.substring(0, slash);
        return runsHere.test(parent) ? parent : null;
    }

    /** The current thread, a task of {@code parent}, is about to wait for {@code child}. */
    void waits(String parent, String child) {
        if (byChild.putIfAbsent(child, new Wait(parent, Thread.currentThread())) == null) {
            waitsByParent.merge(parent, 1, Integer::sum);
        }
    }

    /** The current thread's wait for {@code child} ended (an await by anyone else changes nothing). */
    void done(String child) {
        Wait w = byChild.get(child);
        if (w != null && w.thread() == Thread.currentThread() && byChild.remove(child, w)) {
            waitsByParent.computeIfPresent(w.parent(), (p, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** The parent ended, or is no longer held here: it is not counted any more. */
    void forget(String parent) {
        waitsByParent.remove(parent);
        byChild.values().removeIf(w -> w.parent().equals(parent));
    }

    /** @return how many instances here wait for a sub-workflow now */
    int count() {
        return waitsByParent.size();
    }
}
