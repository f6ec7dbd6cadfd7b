package io.harmonix.fleet.internal;

import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.FleetCatalogue;
import java.util.List;
import java.util.function.Consumer;

/**
 * The catalogue as this bundle's commands see it: the API, plus what only they show (HEAD commits, when each
 * repository was found, progress of a discovery). A service interface of this bundle's own, not exported (as the
 * propagator's {@code Ingest}): the commands find the component through DS like any other reference.
 */
public interface Fleet extends FleetCatalogue {
    /** @return the catalogue with HEAD commits, by name */
    List<Known> known();

    /** As {@link #discover()}, telling {@code progress} how far it is on a large fleet. */
    DiscoveryReport discover(Consumer<String> progress);
}
