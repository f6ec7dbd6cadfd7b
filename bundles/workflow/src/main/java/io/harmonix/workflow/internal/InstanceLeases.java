package io.harmonix.workflow.internal;

import io.harmonix.cluster.api.Leases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The engine's instances held by lease, so that several runtimes on one database share them: an instance runs in the
 * one runtime whose lease on {@code wf:ID} is live. This runtime claims an instance it starts (or offers it, when it
 * has no room), renews the leases of what it holds every renew interval, ends a lease in the transaction that
 * records its instance's end, and every claim interval claims instances no live runtime holds (offered ones, and
 * those of a runtime whose leases expired: it died or lost the database), which the engine then resumes from their
 * history with the same idempotency keys. An instance whose lease this runtime lost (found at a renewal, or when
 * its history is written: {@link #hold}) is abandoned here, since another runtime goes on with it. One thread does
 * the renewals, another the claims, and a third keeps the deadline: past a whole lease since the last renewal that
 * succeeded, the instances stop here even while a renewal still waits for a database that drops its packets (the
 * renewal thread is then the one that hangs, and could not tell).
 */
final class InstanceLeases implements InstanceStore.Fence, AutoCloseable {
    static final String PREFIX = "wf:";

    /** What the engine does with the instances this class claims or loses. */
    interface Owner {
        /**
         * Runs a claimed instance from its history.
         *
         * @return false when there is nothing to run (no such instance, or it has ended): its lease goes
         * @throws SQLException when its row or history could not be read: the claim is dropped (see
         *     {@link #claimFree})
         */
        boolean adopt(String id) throws SQLException;

        /** Stops an instance whose lease another runtime holds now; it records nothing more here. */
        void lost(String id);
    }

    /** Whether this runtime is a cluster of one: no other node is alive (asked at each renewal that succeeds). */
    interface Alone {
        boolean alone() throws SQLException;

        /** Never alone: a runtime that loses the database for a lease stops its instances (another may take them). */
        Alone NEVER = () -> false;
    }

    private final Leases leases;
    private final Alone aloneCheck;
    /** What the last successful renewal found: no other node alive. */
    private volatile boolean alone;
    private final int capacity;
    private final Duration claimInterval;
    private final Consumer<String> warn;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    /**
     * Claims run on a thread of their own: adopting what a dead runtime held replays histories and may take longer
     * than a lease, and renewals queued behind it on one thread would let this runtime's own leases expire while it
     * still runs their instances (another runtime would then run them too).
     */
    private final ScheduledExecutorService claimer;
    /**
     * The deadline's own thread: it never touches the database, so that no hung call delays it (a connection whose
     * packets are dropped hangs a JDBC call until the socket timeout, minutes without one).
     */
    private final ScheduledExecutorService deadline;
    private final AtomicBoolean claimQueued = new AtomicBoolean();
    private volatile Owner owner;
    /** How many instances held do no work now (parents waiting for their sub-workflows): they take no room. */
    private volatile java.util.function.IntSupplier idle = () -> 0;
    private volatile boolean renewOnly = true;
    /**
     * When the last renewal that succeeded began ({@link System#nanoTime}; its leases' new expiries are a lease after
     * an instant no earlier, on the database's clock): past a lease without one, nothing is held.
     */
    private volatile long renewed = System.nanoTime();
    private volatile String lastProblem;
    private volatile boolean closing;

    /**
     * @param capacity the most instances held at once (0: no limit)
     * @param claimInterval how often instances no live runtime holds are looked for
     */
    InstanceLeases(Leases leases, int capacity, Duration claimInterval, Consumer<String> warn) {
        this(leases, Alone.NEVER, capacity, claimInterval, warn);
    }

    /**
     * @param alone whether no other node of the cluster is alive: a cluster of one keeps its instances through a
     *     database outage of any length (see {@link #renew})
     */
    InstanceLeases(Leases leases, Alone alone, int capacity, Duration claimInterval, Consumer<String> warn) {
        this.leases = leases;
        this.aloneCheck = alone;
        this.capacity = capacity;
        this.warn = warn;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-workflow-leases");
            t.setDaemon(true);
            return t;
        });
        this.claimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-workflow-claims");
            t.setDaemon(true);
            return t;
        });
        this.deadline = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-workflow-lease-deadline");
            t.setDaemon(true);
            return t;
        });
        this.claimInterval = claimInterval;
    }

    /**
     * Starts the renewals, and the claims unless {@code renewOnly}, handing what is claimed or lost to {@code engine}.
     *
     * @param renewOnly true for a runtime that takes no one else's work (exec mode, whose commands are one-shot: it
     *     would leave what it claimed when it exits)
     */
    void start(Owner engine, boolean renewOnly) {
        this.owner = engine;
        this.renewOnly = renewOnly;
        renewed = System.nanoTime(); // the deadline counts from here, not from the construction (migrations between)
        long renew = leases.renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS);
        // twice a renew interval: the work stops within a lease and half an interval of the last renewal's start
        long check = Math.max(50, renew / 2);
        deadline.scheduleWithFixedDelay(this::checkDeadline, check, check, TimeUnit.MILLISECONDS);
        if (!renewOnly) {
            claimer.scheduleWithFixedDelay(this::claimFree, claimInterval.toMillis(), claimInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** @return whether no other node than {@code node} is alive, by the node table */
    static Alone alone(io.harmonix.cluster.api.ClusterNode node) {
        return () -> node.nodes().stream().noneMatch(n -> n.alive() && !n.id().equals(node.nodeId()));
    }

    static String key(String id) {
        return PREFIX + id;
    }

    /** @return true when this runtime may take one more instance */
    boolean room() {
        return capacity == 0 || held.size() - idle.getAsInt() < capacity;
    }

    /** @param idle how many instances held wait for sub-workflows now ({@link WaitingParents}): not counted */
    void idle(java.util.function.IntSupplier idle) {
        this.idle = idle;
    }

    /** @return how many instances this runtime holds */
    int held() {
        return held.size();
    }

    /** Claims a new instance in the transaction that creates it. */
    void claimNew(Connection c, String id) throws SQLException {
        leases.claimNew(c, key(id));
        held.add(id);
    }

    /** Offers a new instance to the first runtime with room, in the transaction that creates it. */
    void offer(Connection c, String id) throws SQLException {
        leases.offer(c, key(id)); // the engine wakes the claims once it is committed
    }

    /** The transaction that was to claim {@code id} failed: it is not held. */
    void notCreated(String id) {
        held.remove(id);
    }

    /** @return true when this runtime holds the instance now (no live lease of another runtime is on it) */
    boolean claim(String id) throws SQLException {
        if (leases.claim(key(id))) {
            held.add(id);
            return true;
        }
        return false;
    }

    /** The instance ended and its lease went with its last history entry (see {@link #release}): room for more. */
    void ended(String id) {
        held.remove(id);
        wake();
    }

    @Override
    public Set<String> hold(Connection c, Set<String> ids) throws SQLException {
        List<String> keys = ids.stream().map(InstanceLeases::key).toList();
        Set<String> holding = new HashSet<>();
        leases.hold(c, keys).forEach(k -> holding.add(k.substring(PREFIX.length())));
        for (String id : ids) {
            if (!holding.contains(id)) {
                lose(id, "its history was about to be written");
            }
        }
        return holding;
    }

    @Override
    public void release(Connection c, String id) throws SQLException {
        leases.release(c, key(id));
        // no longer renewed from now: a renewal after this commits would find it gone and take it for lost. Should
        // the transaction roll back, the lease stays in the table unrenewed and expires: the instance is resumed
        // from its history, as after a crash
        held.remove(id);
    }

    /**
     * The instance's history could not be written here and it stopped: no longer renewed, its lease expires, and
     * whoever claims it then (this runtime too) resumes it from its history.
     */
    void unrecorded(String id) {
        held.remove(id);
    }

    private void lose(String id, String when) {
        lose(id, when, timer); // off the caller's locks (the history writer's)
    }

    private void lose(String id, String when, ScheduledExecutorService on) {
        if (held.remove(id)) {
            warn.accept("workflow instance " + id + ": another runtime holds its lease now (" + when + "): it goes on "
                    + "there, and stops here");
            try {
                on.execute(() -> owner.lost(id));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the engine closes: the instance stops with it
            }
        }
    }

    private void renew() {
        long began = System.nanoTime();
        try {
            Set<String> lost = leases.renew(held.stream().map(InstanceLeases::key).toList());
            renewed = began;
            lost.forEach(k -> lose(k.substring(PREFIX.length()), "found at a renewal"));
            lastProblem = null;
            alone = aloneCheck.alone();
        } catch (SQLException | RuntimeException e) {
            problem("workflow leases not renewed: " + e.getMessage());
        }
    }

    /**
     * Not renewed for a whole lease: another runtime may have claimed any of them by now, so they stop here. Checked
     * on a thread of its own, not after a renewal fails: a renewal on a connection whose packets the network drops
     * neither succeeds nor fails until the socket times out, while the leases run out on the database's clock. Not so
     * in a cluster of one (no other node was alive at the last renewal): stopping would only replay all of its
     * instances when the database is back; it keeps them, and the renewal that next succeeds says whether a runtime
     * that came meanwhile took any (the owner of an expired lease is still this node's until another claims it),
     * while every history write stays fenced by hold.
     */
    private void checkDeadline() {
        if (System.nanoTime() - renewed > leases.duration().toNanos() && !alone && !held.isEmpty()) {
            String when = "not renewed for " + leases.duration();
            // each stopped on this thread: the renewal thread may be the one hanging
            List.copyOf(held).forEach(id -> lose(id, when, deadline));
        }
    }

    /** Claims work no live runtime holds, while there is room. */
    private void claimFree() {
        claimQueued.set(false);
        try {
            while (room()) {
                int want = capacity == 0 ? 50 : capacity - held.size() + idle.getAsInt();
                List<String> free = new ArrayList<>(leases.claimable(PREFIX, want * 2));
                if (free.isEmpty()) {
                    return;
                }
                Collections.shuffle(free); // runtimes looking at once claim different ones first
                int claimed = 0;
                for (String key : free) {
                    if (!room()) {
                        return;
                    }
                    String id = key.substring(PREFIX.length());
                    if (!held.contains(id) && claim(id)) {
                        claimed++;
                        try {
                            if (!owner.adopt(id)) {
                                held.remove(id);
                                leases.release(key);
                            }
                        } catch (SQLException e) {
                            // the database failed the read (a moment's outage): neither run nor released (its work
                            // is not done), nor held for ever (renewed and never run). Dropped from what this
                            // runtime renews, the lease expires and is claimed again, here or elsewhere: a retry
                            // after a lease
                            held.remove(id);
                            problem("workflow instance " + id + " claimed, but not read (tried again after a lease): "
                                    + e.getMessage());
                        }
                    }
                }
                if (claimed == 0) {
                    return; // every one was taken by another runtime meanwhile
                }
            }
        } catch (SQLException | RuntimeException e) {
            problem("workflow instances not claimed: " + e.getMessage());
        }
    }

    /** Looks for work now rather than at the next claim interval (room was made, work was offered). */
    void wake() {
        if (!renewOnly && !claimer.isShutdown() && claimQueued.compareAndSet(false, true)) {
            try {
                claimer.execute(this::claimFree);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the engine closes
            }
        }
    }

    private void problem(String text) {
        if (!closing && !text.equals(lastProblem)) {
            lastProblem = text;
            warn.accept(text);
        }
    }

    /** Stops renewing and claiming; the leases held stay, and expire (a stop is seen as a death would be). */
    @Override
    public void close() {
        closing = true;
        // shutdown, not shutdownNow: an interrupt inside a Derby call can leave the database unable to boot again in
        // this JVM (see docs/architecture.md, Storage); a renewal or claim under way ends, no other starts
        claimer.shutdown();
        timer.shutdown();
        deadline.shutdown();
        try {
            claimer.awaitTermination(5, TimeUnit.SECONDS);
            timer.awaitTermination(5, TimeUnit.SECONDS);
            deadline.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
