package io.harmonix.propagator.api;

import java.time.Instant;
import java.util.Map;

/**
 * Where delivery to one endpoint stands.
 *
 * @param endpoint the endpoint as configured
 * @param state what its worker does now
 * @param breaker the circuit breaker's state
 * @param cursors per namespace, the sequence of the next cycle to deliver
 * @param lag cycles in the index that this endpoint has not been sent yet (over its namespaces)
 * @param delivered cycles delivered since the cursors were created
 * @param deadLetters cycles in the dead-letter list
 * @param lastAttempt the latest attempt, or null
 * @param nextAttemptAt when the worker tries next when it is waiting (backoff, breaker, schedule), else null
 * @param disabledReason why it was disabled (410 Gone), or null
 */
public record EndpointStatus(Endpoint endpoint, State state, Breaker breaker, Map<String, Long> cursors, long lag,
        long delivered, long deadLetters, DeliveryAttempt lastAttempt, Instant nextAttemptAt, String disabledReason) {

    /** What the endpoint's worker does. */
    public enum State {
        /** up to date, waiting for new cycles (or for its schedule) */
        IDLE,
        /** sending */
        DELIVERING,
        /** waiting before a retry */
        BACKOFF,
        /** paused by propagate:pause */
        PAUSED,
        /** disabled: by the registry ("enabled": false) or by a 410 answer */
        DISABLED
    }

    /** Circuit breaker states. */
    public enum Breaker {
        CLOSED, OPEN, HALF_OPEN
    }
}
