package io.harmonix.cluster.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of PID {@code io.harmonix.cluster} ({@code etc/io.harmonix.cluster.cfg}), the typed configuration DS
 * hands to {@link ClusterComponent}; read through {@link ClusterSettings}.
 */
@ObjectClassDefinition(name = "Harmonix cluster", description = "This runtime as a node of the runtimes sharing "
        + "its database: leases on work, heartbeats.")
@interface ClusterConfig {
    @AttributeDefinition(name = "Lease duration", description = "How long a lease on work lasts unless its node "
            + "renews it, in whole seconds (30s, 1m): the longest the work of a dead node waits before another "
            + "takes it over. Every node of a cluster should use the same.")
    String leaseDuration() default "30s";

    @AttributeDefinition(name = "Renew interval", description = "How often a node renews its leases and writes its "
            + "heartbeat: at most half the lease duration, so that one late renewal loses nothing.")
    String renewInterval() default "10s";
}
