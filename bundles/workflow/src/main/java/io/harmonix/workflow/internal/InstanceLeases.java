package io.harmonix.workflow.internal;

import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.cluster.api.LeaseKeeper;
import io.harmonix.cluster.api.Leases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The engine's instances held by lease, so that several runtimes on one database share them: an instance runs in the
 * one runtime whose lease on {@code wf:ID} is live. This runtime claims an instance it starts (or offers it, when it
 * has no room), renews the leases of what it holds every renew interval, ends a lease in the transaction that
 * records its instance's end, and every claim interval claims instances no live runtime holds (offered ones, and
 * those of a runtime whose leases expired: it died or lost the database), which the engine then resumes from their
 * history with the same idempotency keys. An instance whose lease this runtime lost (found at a renewal, or when
 * its history is written: {@link #hold}) is abandoned here, since another runtime goes on with it. The renewals, the
 * deadline (past a whole lease since the last renewal that succeeded, the instances stop here even while a renewal
 * hangs on a database that drops its packets) and the claims' thread are the cluster's {@link LeaseKeeper}, as for
 * the runner's runs; what is the engine's own here is how instances are claimed (room by capacity, instances idle
 * while they wait for sub-workflows not counted) and that leases are taken and ended in the transactions that write
 * the instances' histories.
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

    private final LeaseKeeper keeper;
    private final int capacity;
    private final Duration claimInterval;
    private volatile Owner owner;
    /** How many instances held do no work now (parents waiting for their sub-workflows): they take no room. */
    private volatile IntSupplier idle = () -> 0;

    /**
     * @param capacity the most instances held at once (0: no limit)
     * @param claimInterval how often instances no live runtime holds are looked for
     */
    InstanceLeases(Leases leases, int capacity, Duration claimInterval, Consumer<String> warn) {
        this(leases, LeaseKeeper.Alone.NEVER, capacity, claimInterval, warn);
    }

    /**
     * @param alone whether no other node of the cluster is alive: a cluster of one keeps its instances through a
     *     database outage of any length (see {@link LeaseKeeper})
     */
    InstanceLeases(Leases leases, LeaseKeeper.Alone alone, int capacity, Duration claimInterval,
            Consumer<String> warn) {
        this.keeper = new LeaseKeeper(leases, PREFIX, "workflow", "workflow instance", alone, warn);
        this.capacity = capacity;
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
        keeper.start(engine::lost, renewOnly ? null : this::claimFree, () -> claimInterval);
    }

    /** @return whether no other node than {@code node} is alive, by the node table */
    static LeaseKeeper.Alone alone(ClusterNode node) {
        return LeaseKeeper.Alone.of(node);
    }

    static String key(String id) {
        return PREFIX + id;
    }

    /** @return true when this runtime may take one more instance */
    boolean room() {
        return capacity == 0 || keeper.size() - idle.getAsInt() < capacity;
    }

    /** @param idle how many instances held wait for sub-workflows now ({@link WaitingParents}): not counted */
    void idle(IntSupplier idle) {
        this.idle = idle;
    }

    /** @return how many instances this runtime holds */
    int held() {
        return keeper.size();
    }

    /** Claims a new instance in the transaction that creates it. */
    void claimNew(Connection c, String id) throws SQLException {
        keeper.leases().claimNew(c, key(id));
        keeper.hold(id);
    }

    /** Offers a new instance to the first runtime with room, in the transaction that creates it. */
    void offer(Connection c, String id) throws SQLException {
        keeper.leases().offer(c, key(id)); // the engine wakes the claims once it is committed
    }

    /** The transaction that was to claim {@code id} failed: it is not held. */
    void notCreated(String id) {
        keeper.drop(id);
    }

    /** @return true when this runtime holds the instance now (no live lease of another runtime is on it) */
    boolean claim(String id) throws SQLException {
        return keeper.claim(id);
    }

    /** The instance ended and its lease went with its last history entry (see {@link #release}): room for more. */
    void ended(String id) {
        keeper.drop(id);
        wake();
    }

    @Override
    public Set<String> hold(Connection c, Set<String> ids) throws SQLException {
        List<String> keys = ids.stream().map(InstanceLeases::key).toList();
        Set<String> holding = new HashSet<>();
        keeper.leases().hold(c, keys).forEach(k -> holding.add(keeper.id(k)));
        for (String id : ids) {
            if (!holding.contains(id)) {
                keeper.loseLater(id, "its history was about to be written"); // off the history writer's locks
            }
        }
        return holding;
    }

    @Override
    public void release(Connection c, String id) throws SQLException {
        keeper.leases().release(c, key(id));
        // no longer renewed from now: a renewal after this commits would find it gone and take it for lost. Should
        // the transaction roll back, the lease stays in the table unrenewed and expires: the instance is resumed
        // from its history, as after a crash
        keeper.drop(id);
    }

    /**
     * The instance's history could not be written here and it stopped: no longer renewed, its lease expires, and
     * whoever claims it then (this runtime too) resumes it from its history.
     */
    void unrecorded(String id) {
        keeper.drop(id);
    }

    /** Claims work no live runtime holds, while there is room. */
    private void claimFree() {
        try {
            while (room()) {
                int want = capacity == 0 ? 50 : capacity - keeper.size() + idle.getAsInt();
                List<String> free = new ArrayList<>(keeper.leases().claimable(PREFIX, want * 2));
                if (free.isEmpty()) {
                    return;
                }
                Collections.shuffle(free); // runtimes looking at once claim different ones first
                int claimed = 0;
                for (String key : free) {
                    if (!room()) {
                        return;
                    }
                    String id = keeper.id(key);
                    if (!keeper.holds(id) && claim(id)) {
                        claimed++;
                        try {
                            if (!owner.adopt(id)) {
                                keeper.drop(id);
                                keeper.leases().release(key);
                            }
                        } catch (SQLException e) {
                            // the database failed the read (a moment's outage): neither run nor released (its work
                            // is not done), nor held for ever (renewed and never run). Dropped from what this
                            // runtime renews, the lease expires and is claimed again, here or elsewhere: a retry
                            // after a lease
                            keeper.drop(id);
                            keeper.problem("workflow instance " + id + " claimed, but not read (tried again after a "
                                    + "lease): " + e.getMessage());
                        }
                    }
                }
                if (claimed == 0) {
                    return; // every one was taken by another runtime meanwhile
                }
            }
        } catch (SQLException | RuntimeException e) {
            keeper.problem("workflow instances not claimed: " + e.getMessage());
        }
    }

    /** Looks for work now rather than at the next claim interval (room was made, work was offered). */
    void wake() {
        keeper.wake();
    }

    /** Stops renewing and claiming; the leases held stay, and expire (a stop is seen as a death would be). */
    @Override
    public void close() {
        keeper.close();
    }
}
