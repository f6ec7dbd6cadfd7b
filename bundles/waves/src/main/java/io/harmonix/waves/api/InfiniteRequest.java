package io.harmonix.waves.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link WaveCoordinator#startInfinite} is asked for: waves over {@code target}, one every {@code interval},
 * never more than {@code throttle} agent instances at once, fewer when the machine is loaded.
 *
 * @param target the folder of a git working tree
 * @param throttle the most agent instances at once (at least 1)
 * @param interval the time between the start of two waves (positive)
 */
public record InfiniteRequest(String target, int throttle, Duration interval) {
    public InfiniteRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(interval, "interval");
        if (throttle < 1) {
            throw new IllegalArgumentException("throttle must be at least 1 agent instance; was " + throttle);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive; was " + interval);
        }
    }
}
