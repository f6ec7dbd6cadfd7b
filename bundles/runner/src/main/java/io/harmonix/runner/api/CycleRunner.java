package io.harmonix.runner.api;

import io.harmonix.cycle.api.CycleSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The multi-cycle runner. Several runs go at once, each on its own schedule. */
@ProviderType
public interface CycleRunner {
    /**
     * Starts a run.
     *
     * @throws IllegalArgumentException for an id already used or malformed, or agents that are not present
     */
    RunInfo start(RunRequest request);

    /** @return every run the runner knows, oldest first */
    List<RunInfo> runs();

    Optional<RunInfo> run(String runId);

    /**
     * @return the retained snapshots of a run with a cycle number above {@code afterCycle}, in order (the runner
     *     keeps the most recent ones of each run; see its {@code historySize} setting)
     * @throws IllegalArgumentException for an unknown run
     */
    List<CycleSnapshot> cycles(String runId, long afterCycle);

    /** Pauses a run after its current cycle. @throws IllegalArgumentException for an unknown or finished run */
    RunInfo pause(String runId);

    /**
     * Resumes a paused run, or an interrupted or failed one from its last committed cycle.
     *
     * @throws IllegalArgumentException for an unknown or finished run
     */
    RunInfo resume(String runId);

    /**
     * Starts a new run from the agents' states after cycle {@code cycle} of run {@code runId}, with the same
     * agents, interval and deadline; its cycles are numbered on from {@code cycle + 1}. The original run is not
     * touched.
     *
     * @param newRunId the fork's id, or null for a generated one
     * @param cycles how many cycles the fork does, or null for as many as the original had left after that cycle
     *     (until stopped when the original was)
     * @throws IllegalArgumentException for an unknown run, or a cycle it has not committed
     * @throws IllegalStateException when runs are not journaled (no durable state)
     */
    RunInfo fork(String runId, long cycle, String newRunId, Long cycles);

    /** Stops a run after its current cycle. @throws IllegalArgumentException for an unknown run */
    RunInfo stop(String runId);

    /**
     * Waits until a run has finished, or the timeout has passed.
     *
     * @return the run as it is when the wait ends
     */
    RunInfo await(String runId, Duration timeout) throws InterruptedException;

    /** @return the agents present, by id */
    List<AgentInfo> agents();
}
