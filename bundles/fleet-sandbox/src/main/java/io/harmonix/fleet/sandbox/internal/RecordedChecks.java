package io.harmonix.fleet.sandbox.internal;

import io.harmonix.fleet.api.CheckHistory;
import java.util.Optional;

/**
 * The check history with what only this bundle records besides the {@link io.harmonix.fleet.api.CheckRecord}: the
 * limits applied. Published by {@link SandboxComponent} for this bundle's commands (the package is private).
 */
public interface RecordedChecks extends CheckHistory {
    /** @return the limits applied to check {@code id} (memory, processes), or why none were; empty when unknown */
    Optional<String> limits(long id);
}
