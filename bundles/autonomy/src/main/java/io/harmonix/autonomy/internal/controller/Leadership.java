package io.harmonix.autonomy.internal.controller;

import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.api.Leases;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Which runtime of the cluster runs the controller: the one holding the lease {@value #KEY}. Every renew interval
 * each runtime claims it, which renews it for its holder and takes it for another only once it has expired (its
 * holder died, or lost the database for a lease): so one runtime leads, the others stand by, and one of them leads
 * within a lease and a renew interval of the leader's death. Only the leader fires the schedule and the trigger
 * event and starts runs; a run under way is a workflow instance, which goes on wherever its own lease is. A runtime
 * that cannot reach the database for a whole lease stops leading by its own clock, as another may lead by then.
 */
final class Leadership implements AutoCloseable {
    static final String KEY = "autonomy:controller";

    private final Leases leases;
    private final String node;
    private final Consumer<String> note;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harmonix-autonomy-lease");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean leads;
    /** When the lease was last claimed ({@link System#nanoTime}), before the claim was sent. */
    private volatile long claimed;
    private volatile String lastProblem;

    Leadership(Leases leases, String node, Consumer<String> note) {
        this.leases = leases;
        this.node = node;
        this.note = note;
    }

    /** Claims the lease now, then every renew interval. */
    Leadership start() {
        tick();
        long every = leases.renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        long sent = System.nanoTime();
        try {
            boolean now = leases.claim(KEY);
            if (now) {
                claimed = sent;
            }
            changed(now);
            lastProblem = null;
        } catch (SQLException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                lastProblem = String.valueOf(e.getMessage());
                note.accept("the controller's lease not renewed: " + e.getMessage());
            }
            if (leads && System.nanoTime() - claimed > leases.duration().toNanos()) {
                changed(false); // a whole lease without a renewal: another runtime may lead by now
            }
        }
    }

    private synchronized void changed(boolean now) {
        if (now != leads) {
            leads = now;
            note.accept(now ? "node " + node + " leads the controller (lease " + KEY + ")"
                    : "node " + node + " stands by: it no longer holds the lease " + KEY);
        }
    }

    /** @return true while this runtime leads */
    boolean leads() {
        return leads;
    }

    String node() {
        return node;
    }

    Leases leases() {
        return leases;
    }

    /** @return the node whose lease on {@value #KEY} is live, or null when none is (its leader died) */
    String leader() {
        try {
            return leases.list().stream().filter(l -> l.key().equals(KEY) && !l.expired()).map(LeaseInfo::owner)
                    .findFirst().orElse(null);
        } catch (SQLException e) {
            return leads ? node : null;
        }
    }

    /** Stops claiming; the lease stays and expires, so another runtime leads within a lease (as after a death). */
    @Override
    public void close() {
        leads = false;
        timer.shutdown(); // not shutdownNow: an interrupt inside a Derby call can break the database for this JVM
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
