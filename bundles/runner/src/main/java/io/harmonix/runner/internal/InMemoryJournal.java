package io.harmonix.runner.internal;

import io.harmonix.runner.api.RunRequest;
import io.harmonix.state.api.RunJournal;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The journal of a runner whose runs live in memory only (unit tests, benchmarks): nothing is journaled, so there
 * is nothing to read back, resume or fork from, and a run's history is what it keeps in memory. The recorders are
 * then the only record of a cycle beyond the run itself: a cycle counts once every recorder present took it, and a
 * recorder's failure fails the run rather than being retried.
 */
final class InMemoryJournal implements RunnerJournal {
    @Override
    public RunJournal current() {
        return null;
    }

    @Override
    public RunJournal await(BooleanSupplier giveUp) {
        return null;
    }

    @Override
    public RunJournal within(Duration wait) {
        // forking is the one way here: a run not in memory is unknown before anything asks for the journal
        throw new IllegalStateException("runs are not journaled here: nothing to fork from");
    }

    @Override
    public RunJournal readable() {
        return null;
    }

    @Override
    public void createRun(String runId, RunRequest request, Duration deadline, long startCycle, String forkedFrom) {
    }

    @Override
    public void setState(String runId, String state, String message) {
    }

    @Override
    public boolean commit(Run run, ExecutedCycle cycle, CycleRecorders index) throws IOException {
        try {
            index.recordOnce(cycle.snapshot());
        } catch (IOException e) {
            throw new IOException("cycle " + cycle.snapshot().cycle() + " could not be recorded: "
                    + Faults.describe(e), e);
        }
        cycle.countIn(run);
        return true;
    }

    @Override
    public void close() {
    }
}
