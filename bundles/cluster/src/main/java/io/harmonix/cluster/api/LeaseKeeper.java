package io.harmonix.cluster.api;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps this runtime's leases on one kind of work (the keys under one prefix: the runner's {@code run:}, the
 * workflow engine's {@code wf:}), the part that is the same whatever the work: the ids held, their renewal every
 * renew interval, the deadline, the claims' own thread, and warnings told once. What is claimed and how it is taken
 * up (room, offers, adoption) stays with the engine, which calls {@link #claim}, {@link #release} and {@link #drop}.
 *
 * <p>Three threads: one renews, one claims (an adoption may replay a history or wait for agents, longer than a lease,
 * and renewals queued behind it would let this runtime's own leases expire while it still drives their work), and a
 * third keeps the deadline: past a whole lease since the start of the last renewal that succeeded, the work held
 * stops here even while a renewal still waits for a database whose network drops its packets (the renewal thread is
 * then the one that hangs, until the socket timeout, and could not tell). Not so in a cluster of one ({@link Alone}):
 * nobody can have claimed the work, and the renewal that next succeeds says whether a runtime that came meanwhile did.
 *
 * <p>A work whose lease another runtime holds now (found at a renewal, past the deadline, or by the engine when it
 * writes: {@link #loseLater}) is dropped and handed to the engine's {@code lost}, which stops it here writing
 * nothing more. {@link #close} stops renewing and claiming; the leases held stay, and expire (a stop is seen as a
 * death would be).
 */
public final class LeaseKeeper implements AutoCloseable {
    /** Whether no other node of the cluster is alive (asked at each renewal that succeeds). */
    @FunctionalInterface
    public interface Alone {
        boolean alone() throws Exception;

        /** Never alone: a runtime that loses the database for a lease stops its work (another may take it). */
        Alone NEVER = () -> false;

        /** @return whether no other node than {@code node} is alive, by the node table */
        static Alone of(ClusterNode node) {
            return () -> node.nodes().stream().noneMatch(n -> n.alive() && !n.id().equals(node.nodeId()));
        }
    }

    private final Leases leases;
    private final String prefix;
    private final String noun;
    private final String name;
    private final Alone aloneCheck;
    private final Consumer<String> warn;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer;
    private final ScheduledExecutorService claimer;
    /**
     * The deadline's own thread: it never touches the database, so that no hung call delays it (a connection whose
     * packets are dropped hangs a JDBC call until the socket timeout, minutes without one).
     */
    private final ScheduledExecutorService deadline;
    /** Set while a claim is queued on the claimer (by {@link #wake}): one is enough. */
    private final AtomicBoolean claimQueued = new AtomicBoolean();
    /** What the last renewal that succeeded found: no other node alive. */
    private volatile boolean alone;
    /**
     * When the last renewal that succeeded began ({@link System#nanoTime}; its leases' new expiries are a lease after
     * an instant no earlier, on the database's clock), or when the renewals started: past a lease without one,
     * nothing is held.
     */
    private volatile long renewed = System.nanoTime();
    /**
     * The problems warned of since the last renewal that succeeded: each once (the renewals and the claims fail
     * alike while the database is away, and one last problem only let them take turns in the log at every interval).
     */
    private final Set<String> told = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> lost;
    private volatile Runnable claim;
    private volatile boolean closing;

    /**
     * @param prefix the keys' prefix, {@code run:} for instance: a work's key is the prefix and its id
     * @param name the work's name in threads and warnings of the whole ({@code run}: {@code harmonix-run-leases},
     *     "run leases not renewed")
     * @param noun the work's name in a warning about one ({@code workflow instance}: "workflow instance ID: ...")
     * @param alone whether no other node is alive: a cluster of one keeps its work through a database outage of any
     *     length ({@link Alone#NEVER} for never)
     * @param warn where warnings go (each problem once until a renewal succeeds)
     */
    public LeaseKeeper(Leases leases, String prefix, String name, String noun, Alone alone, Consumer<String> warn) {
        this.leases = leases;
        this.prefix = prefix;
        this.name = name;
        this.noun = noun;
        this.aloneCheck = alone;
        this.warn = warn;
        this.renewer = daemon("harmonix-" + name + "-leases");
        this.claimer = daemon("harmonix-" + name + "-claims");
        this.deadline = daemon("harmonix-" + name + "-lease-deadline");
    }

    private static ScheduledExecutorService daemon(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // a claim scheduled for later must not run (and be waited for) once closing: a close would last up to a
        // claim interval, while the engine's work goes on unrecorded
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** @return the leases kept */
    public Leases leases() {
        return leases;
    }

    /** @return the lease key of the work {@code id} */
    public String key(String id) {
        return prefix + id;
    }

    /** @return the id of the work whose lease key is {@code key} */
    public String id(String key) {
        return key.substring(prefix.length());
    }

    /**
     * Starts the renewals and the deadline, and the claims every {@code claimEvery} when it is not null.
     *
     * @param lost stops a work whose lease another runtime holds now (it writes nothing more here); called on the
     *     renewal or the deadline thread, never under the engine's locks
     * @param claim looks for work to claim, on the claims' thread (at every {@code claimEvery} and at each
     *     {@link #wake}); null: this runtime claims nothing (exec mode, whose commands are one-shot: it would leave
     *     what it claimed when it exits)
     * @param claimEvery how often to claim, read at each claim so that a change of settings applies at the next; null
     *     for only when woken
     */
    public void start(Consumer<String> lost, Runnable claim, Supplier<Duration> claimEvery) {
        this.lost = lost;
        this.claim = claim;
        renewed = System.nanoTime(); // the deadline counts from here, not from the construction (migrations between)
        long renew = leases.renewInterval().toMillis();
        renewer.scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS);
        // twice a renew interval: the work stops within a lease and half an interval of the last renewal's start
        long check = Math.max(50, renew / 2);
        deadline.scheduleWithFixedDelay(this::checkDeadline, check, check, TimeUnit.MILLISECONDS);
        if (claim != null && claimEvery != null) {
            scheduleClaim(claimEvery);
        }
    }

    private void scheduleClaim(Supplier<Duration> every) {
        try {
            claimer.schedule(() -> {
                try {
                    claimQueued.set(false);
                    claim.run();
                } finally {
                    if (!closing) {
                        scheduleClaim(every);
                    }
                }
            }, Math.max(10, every.get().toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closing
        }
    }

    /** Looks for work to claim now rather than at the next claim interval (room was made, work was offered). */
    public void wake() {
        Runnable now = claim;
        if (now != null && claimQueued.compareAndSet(false, true) && !onClaimer(() -> {
            claimQueued.set(false);
            now.run();
        })) {
            claimQueued.set(false);
        }
    }

    /**
     * Runs {@code task} on the claims' thread, after the claim under way.
     *
     * @return false when this keeper is closing: the task does not run
     */
    public boolean onClaimer(Runnable task) {
        if (closing) {
            return false;
        }
        try {
            claimer.execute(task);
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /**
     * Claims the work's lease for this runtime, and holds it (renewed from now).
     *
     * @return false when another runtime holds a live lease on it
     */
    public boolean claim(String id) throws SQLException {
        if (leases.claim(key(id))) {
            held.add(id);
            return true;
        }
        return false;
    }

    /** Holds a work whose lease the engine took itself (in the transaction that creates it): renewed from now. */
    public void hold(String id) {
        held.add(id);
    }

    /**
     * No longer renews the work's lease, which stays in the table and expires (whoever claims it then, this runtime
     * too, takes the work up from what was written), or went with the engine's last write.
     *
     * @return whether it was held
     */
    public boolean drop(String id) {
        return held.remove(id);
    }

    /**
     * The work ended for good here: its lease goes. A failure is warned of and leaves the lease in the table,
     * unrenewed: it expires, and whoever claims it finds the work ended.
     */
    public void release(String id) {
        held.remove(id);
        try {
            leases.release(key(id));
        } catch (SQLException | RuntimeException e) {
            problem("lease of " + noun + " " + id + " not ended: " + e.getMessage());
        }
    }

    /** @return true while this runtime holds the work (it claimed it and no renewal found it lost since) */
    public boolean holds(String id) {
        return held.contains(id);
    }

    /** @return the ids held now */
    public Set<String> held() {
        return Set.copyOf(held);
    }

    /** @return how many works are held now */
    public int size() {
        return held.size();
    }

    /** @return true once {@link #close} began */
    public boolean closing() {
        return closing;
    }

    /**
     * Another runtime holds the work's lease now, as the engine found ({@code when}) while writing under its own
     * locks: dropped now, and stopped on the renewal thread, off those locks.
     */
    public void loseLater(String id, String when) {
        if (held.remove(id)) {
            tellLost(id, when);
            try {
                renewer.execute(() -> stopLost(id));
            } catch (RejectedExecutionException closed) {
                // closing: the work stops with the engine
            }
        }
    }

    private void lose(String id, String when) {
        if (held.remove(id)) {
            tellLost(id, when);
            stopLost(id);
        }
    }

    /**
     * Hands a lost work to the engine; its failure is told and contained: thrown out of the periodic deadline
     * check or renewal, it would end that task for good (a scheduled task that throws is never run again), and
     * with it the stop of every work lost later.
     */
    private void stopLost(String id) {
        try {
            lost.accept(id);
        } catch (RuntimeException e) {
            warn.accept(noun + " " + id + ": could not be stopped here after its lease was lost: " + e);
        }
    }

    private void tellLost(String id, String when) {
        warn.accept(noun + " " + id + ": another runtime holds its lease now (" + when + "): it goes on there, and "
                + "stops here");
    }

    private void renew() {
        long began = System.nanoTime();
        try {
            Set<String> gone = leases.renew(held.stream().map(this::key).toList());
            renewed = began;
            gone.forEach(k -> lose(id(k), "found at a renewal"));
            told.clear();
            alone = aloneCheck.alone();
        } catch (Exception e) {
            problem(name + " leases not renewed: " + e.getMessage());
        }
    }

    /**
     * Not renewed for a whole lease: another runtime may have claimed any of them by now, so they stop here. Checked
     * on a thread of its own, not after a renewal fails: a renewal on a connection whose packets the network drops
     * neither succeeds nor fails until the socket times out, while the leases run out on the database's clock. Each
     * is stopped on this thread (the renewal thread may be the one hanging). Not in a cluster of one (no other node
     * alive at the last renewal): stopping would only make the work start over when the database is back; the owner
     * of an expired lease is still this node's until another claims it, and the engine's writes stay fenced.
     */
    private void checkDeadline() {
        if (System.nanoTime() - renewed > leases.duration().toNanos() && !alone && !held.isEmpty()) {
            String when = "not renewed for " + leases.duration();
            List.copyOf(held).forEach(id -> lose(id, when));
        }
    }

    /** Warns of {@code text} unless it was told since the last renewal that succeeded, or this keeper closes. */
    public void problem(String text) {
        if (!closing && told.add(text)) {
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
        renewer.shutdown();
        deadline.shutdown();
        try {
            claimer.awaitTermination(5, TimeUnit.SECONDS);
            renewer.awaitTermination(5, TimeUnit.SECONDS);
            deadline.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
