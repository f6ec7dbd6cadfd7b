package io.harmonix.waves.internal;

import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.api.Leases;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Which runtime of the cluster ticks the infinite-mode series: the one holding the lease {@value #KEY}, led as the
 * autonomy controller is. Every renew interval each runtime claims it, which renews it for its holder and takes it
 * for another only once it has expired (its holder died, or lost the database for a lease): one runtime ticks every
 * series, the others stand by, and one of them ticks them within a lease and a renew interval of the leader's death.
 * While it leads, each claim also hands {@code leading} its turn: the series started in another runtime (they are
 * rows in the database) are adopted there. A runtime that cannot reach the database for a whole lease stops leading
 * by its own clock, as another may lead by then.
 */
final class SeriesLeadership implements AutoCloseable {
    static final String KEY = "waves:infinite";

    private final Leases leases;
    private final String node;
    private final Consumer<String> note;
    private final Runnable leading;
    private final Runnable standingBy;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harmonix-waves-lease");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean leads;
    /** When the lease was last claimed ({@link System#nanoTime}), before the claim was sent. */
    private volatile long claimed;
    private volatile String lastProblem;

    /**
     * @param leading run after every claim that this runtime won (adopts the series it does not tick yet); it must
     *     return at once, since the next claim waits for it
     * @param standingBy run when this runtime stops leading (its ticks end)
     */
    SeriesLeadership(Leases leases, String node, Consumer<String> note, Runnable leading, Runnable standingBy) {
        this.leases = leases;
        this.node = node;
        this.note = note;
        this.leading = leading;
        this.standingBy = standingBy;
    }

    /** Claims the lease now, then every renew interval. */
    SeriesLeadership start() {
        claim();
        long every = leases.renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::claim, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One claim: renews or takes the lease, or finds it held by another runtime. */
    void claim() {
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
                note.accept("the infinite-mode lease not renewed: " + e.getMessage());
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
            note.accept(now ? "node " + node + " ticks the infinite-mode series (lease " + KEY + ")"
                    : "node " + node + " stands by: it no longer holds the lease " + KEY);
            if (!now) {
                standingBy.run();
            }
        }
    }

    /** @return true while this runtime leads, also before its first renewal is due (a claim was made at start) */
    boolean leads() {
        return leads && System.nanoTime() - claimed <= leases.duration().toNanos();
    }

    String node() {
        return node;
    }

    Leases leases() {
        return leases;
    }

    java.time.Duration renewInterval() {
        return leases.renewInterval();
    }

    /** @return the node whose lease on {@value #KEY} is live, or null when none is (its leader died) */
    String leader() {
        try {
            return leases.list().stream().filter(l -> l.key().equals(KEY) && !l.expired()).map(LeaseInfo::owner)
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
