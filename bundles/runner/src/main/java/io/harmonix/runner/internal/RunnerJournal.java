package io.harmonix.runner.internal;

import io.harmonix.runner.api.RunRequest;
import io.harmonix.state.api.RunJournal;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The run journal as the runner uses it. In a runtime the runner journals every run and checkpoints every cycle in
 * the run journal service, which may be away for a while ({@link DurableJournal}); a runner in unit tests and
 * benchmarks keeps its runs in memory only ({@link InMemoryJournal}). The two differ in how a cycle is committed,
 * hence {@link #commit}.
 */
interface RunnerJournal {
    /** @return the journal to read now; null while the service is away, and always when runs live in memory */
    RunJournal current();

    /**
     * @return the journal, waiting for it as long as {@code giveUp} answers false; null when given up, and at once
     *     when runs live in memory (there is nothing to wait for)
     */
    RunJournal await(BooleanSupplier giveUp) throws InterruptedException;

    /**
     * @return the journal, waiting for it up to {@code wait}
     * @throws IllegalStateException when it did not come in time, or runs are not journaled here
     */
    RunJournal within(Duration wait);

    /**
     * @return the journal to read runs from: waiting (a little) while it is away, null when runs live in memory
     * @throws IllegalStateException when runs are journaled and the journal is not available, with the reason
     */
    RunJournal readable();

    /**
     * Journals a new run, before its first cycle.
     *
     * @throws IllegalArgumentException when the journal has a run with that id
     * @throws IllegalStateException when the run could not be journaled
     */
    void createRun(String runId, RunRequest request, Duration deadline, long startCycle, String forkedFrom);

    /** Records a run's state (running, paused, completed, stopped, failed); a miss only shows in the log. */
    void setState(String runId, String state, String message);

    /**
     * Commits an executed cycle: afterwards it counts in its run ({@link ExecutedCycle#countIn}) and its snapshot is
     * in the index, unless the run stopped first.
     *
     * @param index the recorders the snapshot goes to
     * @return false when the cycle does not count (the run stopped before it could be committed)
     * @throws IOException when the cycle cannot be committed: the run fails
     */
    boolean commit(Run run, ExecutedCycle cycle, CycleRecorders index) throws IOException, InterruptedException;

    /** The runner closes: from now on no cycle is committed (a new runner may have resumed its runs already). */
    void close();
}
