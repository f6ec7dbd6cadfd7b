package io.harmonix.runner.internal;

import io.harmonix.cluster.api.LeaseKeeper;
import io.harmonix.cluster.api.Leases;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
 * "Cluster"). The renewals, the deadline (past a whole lease since the start of the last renewal that succeeded, the
 * runs held stop here even while a renewal hangs on a database whose network drops its packets) and the claims'
 * thread are the cluster's {@link LeaseKeeper}, as for the workflow engine's instances; what is the runner's own
 * here is how runs are claimed: room by {@code maxRuns}, offers, and exec mode taking back only its own offers.
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

    private final LeaseKeeper keeper;
    private final String node;
    private volatile Owner owner;
    /** How often to claim: read at each claim, so that a change of the runner's settings applies at the next. */
    private final Supplier<Duration> claimInterval;
    /** Renew-only: the runs this runtime offered, oldest first, that it takes back itself ({@link #claimOwnOffers}). */
    private final Queue<String> offeredHere = new ConcurrentLinkedQueue<>();
    private volatile boolean renewOnly = true;

    /**
     * @param alone whether no other node is alive: a cluster of one keeps its runs through a database outage of
     *     any length (see {@link LeaseKeeper}); null for never
     */
    RunLeases(Leases leases, Callable<Boolean> alone, String node, Consumer<String> warn) {
        this(leases, alone, node, leases::renewInterval, warn);
    }

    /** @param claimInterval how often to look for runs to claim (the runner's {@code claimInterval}) */
    RunLeases(Leases leases, Callable<Boolean> alone, String node, Supplier<Duration> claimInterval,
            Consumer<String> warn) {
        this.keeper = new LeaseKeeper(leases, PREFIX, "run", "run", alone == null ? LeaseKeeper.Alone.NEVER
                : alone::call, warn);
        this.claimInterval = claimInterval;
        this.node = node;
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
     * commands are one-shot: it would leave what it claimed when it exits; woken, it takes back only the runs it
     * offered itself).
     */
    void start(Owner runner, boolean renewOnly) {
        this.owner = runner;
        this.renewOnly = renewOnly;
        keeper.start(runner::lost, renewOnly ? this::claimOwnOffers : this::claimFree,
                renewOnly ? null : claimInterval);
    }

    /**
     * Looks for runs to claim now rather than at the next claim interval: a run ended here (room), or the settings
     * gave more room. In renew-only mode (exec), only the runs this runtime offered.
     */
    void wake() {
        keeper.wake();
    }

    /**
     * Renew-only (exec mode): of the runs no live runtime holds, only those this runtime offered itself are taken
     * back, oldest first, as its runs end. Exec mode takes no other runtime's work (it would leave it when its
     * commands end), but without this a run it offered would wait for another runtime, and {@code cycle:run --wait}
     * in exec mode without one for ever; one it takes back is its own run, interrupted at exit as any run of exec.
     */
    private void claimOwnOffers() {
        try {
            for (String runId : offeredHere) {
                if (keeper.closing() || !owner.reserve()) {
                    return;
                }
                try {
                    offeredHere.remove(runId);
                    if (claim(runId) && !owner.adopt(runId)) {
                        release(runId);
                    }
                } finally {
                    owner.unreserve();
                }
            }
        } catch (SQLException | RuntimeException e) {
            keeper.problem("runs offered here not taken back: " + e.getMessage());
        }
    }

    /**
     * Offers a run this runtime has no room for to whichever runtime claims it first (this one too, once it has
     * room): its lease's owner none, born expired. Its journal entry says {@code offered} already.
     *
     * @return false when another runtime holds its lease live (it drives the run: nothing to offer)
     */
    boolean offer(String runId) throws SQLException {
        keeper.drop(runId);
        boolean offered = keeper.leases().offer(key(runId));
        if (offered && renewOnly) {
            offeredHere.add(runId);
        }
        return offered;
    }

    /**
     * Claims the run's lease for this runtime: it starts or resumes here.
     *
     * @return false when another runtime holds a live lease on it (it goes there)
     */
    boolean claim(String runId) throws SQLException {
        return keeper.claim(runId);
    }

    /** @return true while this runtime holds the run (it claimed it and no renewal found it lost since) */
    boolean holds(String runId) {
        return keeper.holds(runId);
    }

    /** The run ended for good here (completed, stopped, failed, or never created): its lease goes. */
    void release(String runId) {
        keeper.release(runId);
    }

    /**
     * The run was interrupted here (the runner closes): no longer renewed, its lease expires, unless this runtime
     * restarts under its node id first and takes it back.
     */
    void interrupted(String runId) {
        keeper.drop(runId);
    }

    /**
     * The journal refused a cycle of the run as already taken (another writer): the run stopped here writing
     * nothing. Whether another runtime holds it now says what follows: if this one still does, the other writer was
     * one whose lease had run out (a paused or cut-off runtime) and the run resumes here from what the journal
     * holds; else it goes on there. If the runner closes meanwhile, the run resumes at the next start.
     */
    void conflicted(String runId) {
        keeper.onClaimer(() -> {
            if (!owner.reserve()) {
                // its place was taken meanwhile: unrenewed, its lease expires and the first with room claims it
                keeper.drop(runId);
                return;
            }
            try {
                if (keeper.claim(runId)) {
                    if (!owner.adopt(runId)) {
                        release(runId);
                    }
                } else {
                    keeper.drop(runId);
                }
            } catch (SQLException | RuntimeException e) {
                keeper.drop(runId); // unrenewed, it expires and is claimed again (here or elsewhere)
                keeper.problem("run " + runId + " not taken up after a conflict: " + e.getMessage());
            } finally {
                owner.unreserve();
            }
        });
    }

    /**
     * Claims the runs no live runtime holds and resumes them here, while there is room: the runs a runtime left (its
     * lease expired: it died, or lost the database) first, then the offered ones, each oldest first
     * ({@link Leases#claimable}); a few more are read than there is room for, and shuffled, so that runtimes looking
     * at once claim different ones first.
     */
    private void claimFree() {
        try {
            while (!keeper.closing()) {
                int room = owner.room();
                if (room <= 0) {
                    return;
                }
                List<String> free = new ArrayList<>(keeper.leases().claimable(PREFIX, (int) Math.min(20, room * 2L)));
                if (free.isEmpty()) {
                    return;
                }
                Collections.shuffle(free);
                int claimed = 0;
                for (String key : free) {
                    String runId = keeper.id(key);
                    if (keeper.closing() || keeper.holds(runId)) {
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
            keeper.problem("runs of other runtimes not claimed: " + e.getMessage());
        }
    }

    /** Stops renewing and claiming; the leases held stay, and expire (a stop is seen as a death would be). */
    @Override
    public void close() {
        keeper.close();
    }
}
