package io.harmonix.cluster.internal;

import io.harmonix.config.api.ConfigCheck;
import java.time.Duration;
import java.util.Map;

/**
 * The cluster's settings, read whole from PID {@value #PID}.
 *
 * @param leaseDuration how long a lease lasts (whole seconds)
 * @param renewInterval how often leases are renewed and heartbeats written
 */
record ClusterSettings(Duration leaseDuration, Duration renewInterval) {
    static final String PID = "io.harmonix.cluster";

    static ConfigCheck.Result<ClusterSettings> read(ClusterConfig config, Map<String, ?> properties) {
        ConfigCheck check = new ConfigCheck(PID, properties);
        Duration lease = check.positiveDuration("leaseDuration", config::leaseDuration);
        Duration renew = check.positiveDuration("renewInterval", config::renewInterval);
        if (!lease.isZero() && (lease.toMillis() % 1000 != 0)) {
            check.problem("leaseDuration", "whole seconds (the unit of the database's clock arithmetic), was "
                    + lease.toMillis() + " ms");
        }
        if (!lease.isZero() && !renew.isZero() && renew.multipliedBy(2).compareTo(lease) > 0) {
            check.problem("renewInterval", "at most half of leaseDuration (" + config.leaseDuration() + " in "
                    + "force), so that one late renewal does not lose a lease");
        }
        return check.result(() -> new ClusterSettings(lease, renew));
    }
}
