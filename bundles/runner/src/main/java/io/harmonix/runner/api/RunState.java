package io.harmonix.runner.api;

/** Where a run is. */
public enum RunState {
    /**
     * Started where there was no room (the runner's {@code maxRuns}): recorded in the journal, its lease offered to
     * the runtimes sharing the database; the first with room starts it (at its first cycle, from its journaled
     * definition). Not counted as going anywhere until then.
     *
     * @since 1.3
     */
    OFFERED,
    RUNNING,
    /** Paused between two cycles; {@link CycleRunner#resume} continues it. */
    PAUSED,
    /**
     * It was going (or paused) when the runtime stopped or the runner went away; its journal says where. It goes
     * on from its last committed cycle when the runner starts (if configured) or on {@link CycleRunner#resume}.
     */
    INTERRUPTED,
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
