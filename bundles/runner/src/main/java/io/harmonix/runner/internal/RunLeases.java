package io.harmonix.runner.internal;

import io.harmonix.cluster.api.Leases;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The runner's runs held by lease, so that several runtimes on one database never drive one run at once: a run goes
 * in the one runtime whose lease on {@code run:ID} is live. The lease is taken when a run starts or resumes here,
 * renewed every renew interval while it goes, ended when it ends (completed, stopped, failed); a run interrupted by
 * a stop or a crash keeps its lease until it expires, so that the runtime that restarts under the same node id takes
 * it back at once and any other only after a lease. Every claim interval (unless renew-only: exec mode) this
 * runtime claims the runs no live runtime holds (their lease expired: the runtime died or lost the database) and
 * resumes them from the journal, while it has room ({@code maxRuns}: a run started where there is none is offered,
 * its lease's owner none and born expired, and the first runtime with room claims it, the one that offered it too
 * once its runs end). A run whose lease a renewal finds held by another runtime stops here without
 * writing anything more (see {@link RunEngine}); the journal's own check, which takes a cycle only after the one
 * before and only once, fences the one checkpoint that may be under way as the lease is lost (docs/architecture.md,
 * "Cluster"). The shape of the workflow engine's {@code InstanceLeases}: one thread renews, another claims, and a
 * third keeps the deadline: past a whole lease since the start of the last renewal that succeeded, the runs held stop
 * here even while a renewal still waits for a database whose network drops its packets (the renewal thread is then
 * the one that hangs, until the socket timeout, and could not tell).
 */
final class RunLeases implements AutoCloseable {
    static final String PREFIX = "run:";

    /** What the runner does with the runs this class claims or loses. */
    interface Owner {
        /**
         * Resumes a claimed run from the journal.
         *
         * @return false when there is nothing to resume (no such run, or it has finished): its lease goes
         */
        boolean adopt(String runId);

        /** Stops a run whose lease another runtime holds now; it writes nothing more here. */
        void lost(String runId);

        /** @return how many more runs this runner may take now ({@link Integer#MAX_VALUE}: no limit) */
        int room();

        /**
         * Takes a place for a run about to be claimed and adopted, so that no start in between takes it too.
         *
         * @return false when there is no room: nothing is claimed
         */
        boolean reserve();

        /** Gives the place {@link #reserve} took back (the run adopted counts as going by now, or was not). */
        void unreserve();
    }

    private final Leases leases;
    /** Whether no other node of the cluster is alive (asked at each renewal that succeeds); null: never alone. */
    private final java.util.concurrent.Callable<Boolean> aloneCheck;
    private volatile boolean alone;
    private final String node;
    private final Consumer<String> warn;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = daemon("harmonix-run-leases");
    /** Claims on a thread of their own: a resume may wait for agents, and renewals must not wait behind it. */
    private final ScheduledExecutorService claimer = daemon("harmonix-run-claims");
    /**
     * The deadline's own thread: it never touches the database, so that no hung call delays it (a connection whose
     * packets are dropped hangs a JDBC call until the socket timeout, minutes without one).
     */
    private final ScheduledExecutorService deadline = daemon("harmonix-run-lease-deadline");
    private volatile Owner owner;
    /** How often to claim: read at each claim, so that a change of the runner's settings applies at the next. */
    private final java.util.function.Supplier<java.time.Duration> claimInterval;
    /** Set while a claim is queued on the claimer (by {@link #wake}): one is enough. */
    private final java.util.concurrent.atomic.AtomicBoolean claimQueued =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean renewOnly = true;
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
    private volatile boolean closing;

    /**
     * @param alone whether no other node is alive: a cluster of one keeps its runs through a database outage of
     *     any length (see {@link #renew}); null for never
     */
    RunLeases(Leases leases, java.util.concurrent.Callable<Boolean> alone, String node, Consumer<String> warn) {
        this(leases, alone, node, leases::renewInterval, warn);
    }

    /** @param claimInterval how often to look for runs to claim (the runner's {@code claimInterval}) */
    RunLeases(Leases leases, java.util.concurrent.Callable<Boolean> alone, String node,
            java.util.function.Supplier<java.time.Duration> claimInterval, Consumer<String> warn) {
        this.leases = leases;
        this.claimInterval = claimInterval;
        this.aloneCheck = alone;
        this.node = node;
        this.warn = warn;
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    static String key(String runId) {
        return PREFIX + runId;
    }

    /** @return this runtime's node id, for messages */
    String node() {
        return node;
    }

    /**
     * Starts the renewals, and the claims of other runtimes' orphans unless {@code renewOnly} (exec mode, whose
     * commands are one-shot: it would leave what it claimed when it exits).
     */
    void start(Owner runner, boolean renewOnly) {
        this.owner = runner;
        long renew = leases.renewInterval().toMillis();
        renewed = System.nanoTime(); // a run claimed from now on has a lease from no earlier
        timer.scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS);
        // twice a renew interval: the runs stop within a lease and half an interval of the last renewal's start
        long check = Math.max(50, renew / 2);
        deadline.scheduleWithFixedDelay(this::checkDeadline, check, check, TimeUnit.MILLISECONDS);
        this.renewOnly = renewOnly;
        if (!renewOnly) {
            scheduleClaim();
        }
    }

    private void scheduleClaim() {
        try {
            claimer.schedule(() -> {
                try {
                    claimFree();
                } finally {
                    if (!closing) {
                        scheduleClaim();
                    }
                }
            }, Math.max(10, claimInterval.get().toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the runner closes
        }
    }

    /**
     * Looks for runs to claim now rather than at the next claim interval: a run ended here (room), or the settings
     * gave more room. Not in renew-only mode (exec), which claims nothing.
     */
    void wake() {
        if (!renewOnly && !closing && claimQueued.compareAndSet(false, true)) {
            try {
                claimer.execute(this::claimFree);
            } catch (RejectedExecutionException closed) {
                claimQueued.set(false);
            }
        }
    }

    /**
     * Offers a run this runtime has no room for to whichever runtime claims it first (this one too, once it has
     * room): its lease's owner none, born expired. Its journal entry says {@code offered} already.
     *
     * @return false when another runtime holds its lease live (it drives the run: nothing to offer)
     */
    boolean offer(String runId) throws SQLException {
        held.remove(runId);
        return leases.offer(key(runId));
    }

    /**
     * Claims the run's lease for this runtime: it starts or resumes here.
     *
     * @return false when another runtime holds a live lease on it (it goes there)
     */
    boolean claim(String runId) throws SQLException {
        if (leases.claim(key(runId))) {
            held.add(runId);
            return true;
        }
        return false;
    }

    /** @return true while this runtime holds the run (it claimed it and no renewal found it lost since) */
    boolean holds(String runId) {
        return held.contains(runId);
    }

    /** The run ended for good here (completed, stopped, failed, or never created): its lease goes. */
    void release(String runId) {
        held.remove(runId);
        try {
            leases.release(key(runId));
        } catch (SQLException | RuntimeException e) {
            // left in the table, unrenewed: it expires, and whoever claims it finds the run finished and ends it
            problem("lease of run " + runId + " not ended: " + e.getMessage());
        }
    }

    /**
     * The run was interrupted here (the runner closes): no longer renewed, its lease expires, unless this runtime
     * restarts under its node id first and takes it back.
     */
    void interrupted(String runId) {
        held.remove(runId);
    }

    /**
     * The journal refused a cycle of the run as already taken (another writer): the run stopped here writing
     * nothing. Whether another runtime holds it now says what follows: if this one still does, the other writer was
     * one whose lease had run out (a paused or cut-off runtime) and the run resumes here from what the journal
     * holds; else it goes on there.
     */
    void conflicted(String runId) {
        try {
            claimer.execute(() -> {
                if (!owner.reserve()) {
                    // its place was taken meanwhile: unrenewed, its lease expires and the first with room claims it
                    held.remove(runId);
                    return;
                }
                try {
                    if (leases.claim(key(runId))) {
                        held.add(runId);
                        if (!owner.adopt(runId)) {
                            release(runId);
                        }
                    } else {
                        held.remove(runId);
                    }
                } catch (SQLException | RuntimeException e) {
                    held.remove(runId); // unrenewed, it expires and is claimed again (here or elsewhere)
                    problem("run " + runId + " not taken up after a conflict: " + e.getMessage());
                } finally {
                    owner.unreserve();
                }
            });
        } catch (RejectedExecutionException closed) {
            // the runner closes: the run resumes at the next start
        }
    }

    private void lose(String runId, String when) {
        if (held.remove(runId)) {
            warn.accept("run " + runId + ": another runtime holds its lease now (" + when + "): it goes on there, "
                    + "and stops here");
            owner.lost(runId);
        }
    }

    private void renew() {
        long began = System.nanoTime();
        try {
            Set<String> lost = leases.renew(held.stream().map(RunLeases::key).toList());
            renewed = began;
            lost.forEach(k -> lose(k.substring(PREFIX.length()), "found at a renewal"));
            told.clear();
            alone = aloneCheck != null && aloneCheck.call();
        } catch (Exception e) {
            problem("run leases not renewed: " + e.getMessage());
        }
    }

    /**
     * Not renewed for a whole lease: another runtime may have claimed any of them by now, so they stop here. Checked
     * on a thread of its own, not after a renewal fails: a renewal on a connection whose packets the network drops
     * neither succeeds nor fails until the socket times out, while the leases run out on the database's clock.
     * Stopping a run touches no database ({@link Owner#lost}: a flag the run's thread reads). Not in a cluster of one
     * (no other node alive at the last renewal): nobody can have claimed them, and the renewal that next succeeds
     * says whether a runtime that came meanwhile did (the journal fences its cycles).
     */
    private void checkDeadline() {
        if (System.nanoTime() - renewed > leases.duration().toNanos() && !alone && !held.isEmpty()) {
            String when = "not renewed for " + leases.duration();
            List.copyOf(held).forEach(id -> lose(id, when));
        }
    }

    /**
     * Claims the runs no live runtime holds and resumes them here, while there is room: the runs a runtime left (its
     * lease expired: it died, or lost the database) first, then the offered ones, each oldest first
     * ({@link Leases#claimable}); a few more are read than there is room for, and shuffled, so that runtimes looking
     * at once claim different ones first.
     */
    private void claimFree() {
        claimQueued.set(false);
        try {
            while (!closing) {
                int room = owner.room();
                if (room <= 0) {
                    return;
                }
                List<String> free = new ArrayList<>(leases.claimable(PREFIX, (int) Math.min(20, room * 2L)));
                if (free.isEmpty()) {
                    return;
                }
                Collections.shuffle(free);
                int claimed = 0;
                for (String key : free) {
                    String runId = key.substring(PREFIX.length());
                    if (closing || held.contains(runId)) {
                        continue;
                    }
                    if (!owner.reserve()) {
                        return;
                    }
                    try {
                        if (claim(runId)) {
                            claimed++;
                            if (!owner.adopt(runId)) {
                                release(runId);
                            }
                        }
                    } finally {
                        owner.unreserve();
                    }
                }
                if (claimed == 0) {
                    return; // each was taken by another runtime meanwhile
                }
            }
        } catch (SQLException | RuntimeException e) {
            problem("runs of other runtimes not claimed: " + e.getMessage());
        }
    }

    private void problem(String text) {
        if (!closing && told.add(text)) {
            warn.accept(text);
        }
    }

    /** Stops renewing and claiming; the leases held stay, and expire (a stop is seen as a death would be). */
    @Override
    public void close() {
        closing = true;
        // shutdown, not shutdownNow: an interrupt inside a Derby call can leave the database unable to boot again
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
