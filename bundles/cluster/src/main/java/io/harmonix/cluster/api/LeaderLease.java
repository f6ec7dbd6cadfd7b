package io.harmonix.cluster.api;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Leadership of one thing in a cluster by a lease: the autonomy controller ({@code autonomy:controller}), the
 * infinite-mode wave series ({@code waves:infinite}). Every renew interval each runtime claims the lease, which
 * renews it for its holder and takes it for another only once it has expired (its holder died, or lost the database
 * for a lease): one runtime leads, the others stand by, and one of them leads within a lease and a renew interval of
 * the leader's death. A runtime that cannot reach the database for a whole lease stops leading by its own clock, as
 * another may lead by then.
 */
public final class LeaderLease implements AutoCloseable {
    private final Leases leases;
    private final String key;
    private final String node;
    private final String leaderDoes;
    private final String leaseCalled;
    private final Consumer<String> note;
    private final Runnable leading;
    private final Runnable standingBy;
    private final ScheduledExecutorService timer;
    private volatile boolean leads;
    /** When the lease was last claimed ({@link System#nanoTime}), before the claim was sent. */
    private volatile long claimed;
    private volatile String lastProblem;

    /**
     * @param key the lease's key
     * @param node this runtime's node id
     * @param leaderDoes what the leader does, for the notes: "leads the controller" gives {@code node N leads the
     *     controller (lease KEY)}
     * @param leaseCalled what the lease is called in a note of a failed claim ("the controller's lease")
     * @param note where changes of leader and failed claims are said (each problem once until it changes)
     * @param leading run after every claim this runtime won, on the claims' thread: it must return at once, since
     *     the next claim waits for it
     * @param standingBy run when this runtime stops leading
     */
    public LeaderLease(Leases leases, String key, String node, String leaderDoes, String leaseCalled,
            Consumer<String> note, Runnable leading, Runnable standingBy) {
        this.leases = leases;
        this.key = key;
        this.node = node;
        this.leaderDoes = leaderDoes;
        this.leaseCalled = leaseCalled;
        this.note = note;
        this.leading = leading;
        this.standingBy = standingBy;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-lease-" + key);
            t.setDaemon(true);
            return t;
        });
    }

    /** Claims the lease now, then every renew interval. */
    public LeaderLease start() {
        claim();
        long every = leases.renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::claim, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One claim: renews or takes the lease, or finds it held by another runtime. */
    public void claim() {
        long sent = System.nanoTime();
        try {
            boolean now = leases.claim(key);
            if (now) {
                claimed = sent;
            }
            changed(now);
            lastProblem = null;
        } catch (SQLException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                lastProblem = String.valueOf(e.getMessage());
                note.accept(leaseCalled + " not renewed: " + e.getMessage());
            }
            if (leads && System.nanoTime() - claimed > leases.duration().toNanos()) {
                changed(false); // a whole lease without a renewal: another runtime may lead by now
            }
        }
        if (leads) {
            leading.run();
        }
    }

    private synchronized void changed(boolean now) {
        if (now != leads) {
            leads = now;
            note.accept(now ? "node " + node + " " + leaderDoes + " (lease " + key + ")"
                    : "node " + node + " stands by: it no longer holds the lease " + key);
            if (!now) {
                standingBy.run();
            }
        }
    }

    /**
     * @return true while this runtime leads: its last claim won, less than a lease ago (so not after a whole lease
     *     without a renewal, even before the failing claim says so)
     */
    public boolean leads() {
        return leads && System.nanoTime() - claimed <= leases.duration().toNanos();
    }

    public String key() {
        return key;
    }

    public String node() {
        return node;
    }

    public Leases leases() {
        return leases;
    }

    public Duration renewInterval() {
        return leases.renewInterval();
    }

    /** @return the node whose lease on the key is live, or null when none is (its leader died) */
    public String leader() {
        try {
            return leases.list().stream().filter(l -> l.key().equals(key) && !l.expired()).map(LeaseInfo::owner)
                    .findFirst().orElse(null);
        } catch (SQLException e) {
            return leads() ? node : null;
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
