package io.harmonix.waves.internal;

import io.harmonix.cluster.api.LeaderLease;
import io.harmonix.cluster.api.Leases;
import java.util.function.Consumer;

/**
 * Which runtime of the cluster ticks the infinite-mode series: the one holding the lease {@value #KEY}
 * ({@link LeaderLease}, as the autonomy controller is led). One runtime ticks every series, the others stand by.
 * While it leads, each claim also hands {@code leading} its turn: the series started in another runtime (they are
 * rows in the database) are adopted there.
 */
final class SeriesLeadership {
    static final String KEY = "waves:infinite";

    private SeriesLeadership() {
    }

    /**
     * @param leading run after every claim that this runtime won (adopts the series it does not tick yet); it must
     *     return at once, since the next claim waits for it
     * @param standingBy run when this runtime stops leading (its ticks end)
     */
    static LeaderLease of(Leases leases, String node, Consumer<String> note, Runnable leading, Runnable standingBy) {
        return new LeaderLease(leases, KEY, node, "ticks the infinite-mode series", "the infinite-mode lease", note,
                leading, standingBy);
    }
}
