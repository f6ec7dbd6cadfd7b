package io.harmonix.cycle.api;

/** What happened in a run. */
public enum CycleEventType {
    RUN_STARTED,
    CYCLE_STARTED,
    /** A cycle was committed; the event carries its snapshot. */
    CYCLE_COMPLETED,
    /** A cycle could not be committed (a recorder failed); the run fails with it. */
    CYCLE_FAILED,
    RUN_PAUSED,
    RUN_RESUMED,
    /** The run ended: all cycles done, stopped, or failed (see the event's message). */
    RUN_FINISHED
}
