package io.harmonix.propagator.api;

import java.time.Instant;

/**
 * A cycle an endpoint kept refusing: the cursor moved past it; {@link Propagator#redeliver} sends it again.
 *
 * @param endpoint endpoint id
 * @param namespace namespace of the cycle
 * @param sequence position of the cycle in the namespace's log
 * @param cycleId the cycle id
 * @param attempts attempts made
 * @param lastStatus HTTP status of the last attempt
 * @param reason the last error
 * @param at when it was dead-lettered
 */
public record DeadLetter(String endpoint, String namespace, long sequence, String cycleId, int attempts,
        int lastStatus, String reason, Instant at) {
}
