package io.harmonix.waves.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Infinite mode over a target: a wave every interval while it runs.
 *
 * @param id its id ({@code s-} and 8 hex digits), what {@link WaveCoordinator#stop} takes
 * @param target the target's folder
 * @param throttle the most agent instances of its waves at once
 * @param interval the time between two waves
 * @param status {@link WaveStatus#RUNNING} or {@link WaveStatus#STOPPED}
 * @param waves the ids of its waves, newest first
 * @param startedAt when it started
 * @param endedAt when it was stopped, or null
 * @param lastDecision what its last tick decided ("started w-1a2b3c4d with 3 instances", "no capacity: ...")
 */
public record InfiniteSeries(String id, String target, int throttle, Duration interval, WaveStatus status,
        List<String> waves, Instant startedAt, Instant endedAt, String lastDecision) {
    public InfiniteSeries {
        waves = List.copyOf(waves);
    }
}
