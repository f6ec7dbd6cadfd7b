package io.harmonix.cycle.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in a run, as delivered to {@link CycleListener}s.
 *
 * @param type what happened
 * @param runId the run
 * @param cycle the cycle it concerns, 0 for events of the whole run
 * @param time when it happened
 * @param snapshot the committed snapshot for {@link CycleEventType#CYCLE_COMPLETED}, else null
 * @param message detail (why a cycle failed, how a run finished), or null
 */
public record CycleEvent(CycleEventType type, String runId, long cycle, Instant time, CycleSnapshot snapshot,
        String message) {
    public CycleEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(time, "time");
    }
}
