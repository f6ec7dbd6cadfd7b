package io.harmonix.propagator.internal;

import io.harmonix.propagator.api.EndpointStatus.Breaker;
import java.util.function.LongSupplier;

/**
 * Stops hammering a dead endpoint: after {@code threshold} consecutive failures it opens for {@code cooldown};
 * then one trial request is let through (half open): success closes it, failure opens it again.
 */
final class CircuitBreaker {
    private final int threshold;
    private final long cooldownNanos;
    private final LongSupplier clock;
    private Breaker state = Breaker.CLOSED;
    private int failures;
    private long openUntil;

    CircuitBreaker(int threshold, long cooldownNanos, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.cooldownNanos = cooldownNanos;
        this.clock = nanoClock;
    }

    /** @return nanoseconds to wait before a request may go (0: now; when it was open and cooled, half open now) */
    synchronized long delayNanos() {
        if (state == Breaker.OPEN) {
            long left = openUntil - clock.getAsLong();
            if (left > 0) {
                return left;
            }
            state = Breaker.HALF_OPEN;
        }
        return 0;
    }

    synchronized void success() {
        failures = 0;
        state = Breaker.CLOSED;
    }

    /** @return true when this failure opened the breaker */
    synchronized boolean failure() {
        failures++;
        if (state == Breaker.HALF_OPEN || failures >= threshold) {
            boolean opened = state != Breaker.OPEN;
            state = Breaker.OPEN;
            openUntil = clock.getAsLong() + cooldownNanos;
            return opened;
        }
        return false;
    }

    synchronized Breaker state() {
        return state == Breaker.OPEN && openUntil - clock.getAsLong() <= 0 ? Breaker.HALF_OPEN : state;
    }
}
