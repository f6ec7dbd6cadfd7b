package io.harmonix.runner.api;

/** Where a run is. */
public enum RunState {
    RUNNING,
    /** Paused between two cycles; {@link CycleRunner#resume} continues it. */
    PAUSED,
    /** Every requested cycle was committed. */
    COMPLETED,
    /** Stopped on request (or because the runner went away) before its last cycle. */
    STOPPED,
    /** A cycle could not be committed. */
    FAILED;

    /** @return true when the run will not go on */
    public boolean finished() {
        return this == COMPLETED || this == STOPPED || this == FAILED;
    }
}
