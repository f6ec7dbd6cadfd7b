package io.harmonix.autonomy.internal.controller;

import io.harmonix.cluster.api.LeaderLease;
import io.harmonix.cluster.api.Leases;
import java.util.function.Consumer;

/**
 * Which runtime of the cluster runs the controller: the one holding the lease {@value #KEY} ({@link LeaderLease}).
 * Only the leader fires the schedule and the trigger event and starts runs; a run under way is a workflow instance,
 * which goes on wherever its own lease is.
 */
final class Leadership {
    static final String KEY = "autonomy:controller";

    private Leadership() {
    }

    static LeaderLease of(Leases leases, String node, Consumer<String> note) {
        return new LeaderLease(leases, KEY, node, "leads the controller", "the controller's lease", note, () -> { },
                () -> { });
    }
}
