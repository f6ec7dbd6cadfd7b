package io.harmonix.fleet.internal;

import io.harmonix.fleet.api.Repository;
import java.time.Instant;

/**
 * A repository as the catalogue keeps it: what the API shows, plus its HEAD commit and when a discovery last
 * found it healthy (or first saw it, for one that never opened).
 */
public record Known(Repository repository, String head, Instant discoveredAt) {
    public String name() {
        return repository.name();
    }
}
