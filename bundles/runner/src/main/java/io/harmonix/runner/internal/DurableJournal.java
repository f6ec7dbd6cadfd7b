package io.harmonix.runner.internal;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.StateConflictException;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.state.api.RunJournal;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The run journal service as a runtime's runner uses it: every run journaled, every cycle checkpointed. The service
 * may be away for a while (its bundle, or the store's, stopped or updated): runs then wait, and a failed
 * checkpoint is retried, so that no cycle counts without one.
 */
final class DurableJournal implements RunnerJournal {
    private final JournalGate gate;
    private final RunnerLog log;
    private volatile boolean closed;

    DurableJournal(JournalGate gate, RunnerLog log) {
        this.gate = gate;
        this.log = log;
    }

    @Override
    public RunJournal current() {
        return gate.current();
    }

    @Override
    public RunJournal await(BooleanSupplier giveUp) throws InterruptedException {
        return gate.await(giveUp);
    }

    @Override
    public RunJournal within(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        try {
            RunJournal j = gate.await(() -> System.nanoTime() > end);
            if (j == null) {
                throw new IllegalStateException("runs are durable, and the run journal (bundle io.harmonix.state, "
                        + "on io.harmonix.store) has not been available for " + wait.toSeconds() + "s");
            }
            return j;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run journal", e);
        }
    }

    @Override
    public void createRun(String runId, RunRequest request, Duration deadline, long startCycle, String forkedFrom) {
        RunJournal j = within(Duration.ofSeconds(10));
        try {
            j.createRun(runId, RunDefinitions.toJson(request, deadline), startCycle, forkedFrom);
        } catch (StateConflictException e) {
            throw new IllegalArgumentException("a run with id '" + runId + "' exists already (in the journal)");
        } catch (IOException e) {
            throw new IllegalStateException("run " + runId + " could not be journaled: " + e.getMessage(), e);
        }
    }

    @Override
    public void setState(String runId, String state, String message) {
        RunJournal j = gate.current();
        if (j == null) {
            log.warn("run " + runId + " is " + state + ", but the run journal is away: not recorded", null);
            return;
        }
        try {
            j.setState(runId, state, message);
        } catch (IOException e) {
            log.warn("run " + runId + " is " + state + ", but that could not be journaled", e);
        }
    }

    /**
     * The checkpoint is the commit (snapshot and new states in one transaction); then the snapshot is recorded (the
     * index), exactly the one committed. A crash between checkpoint and record is mended when the run resumes: its
     * last committed snapshot is recorded again (recorders are idempotent on the cycle), so the index holds the
     * very snapshot whose states the run goes on from.
     */
    @Override
    public boolean commit(Run run, ExecutedCycle cycle, CycleRecorders index)
            throws InterruptedException, StateConflictException {
        if (!checkpoint(run, cycle.snapshot(), cycle.checkpoints())) {
            return false; // stopped while the journal was away: this cycle does not count
        }
        cycle.countIn(run);
        index.recordUntilTaken(run, cycle.snapshot());
        return true;
    }

    /**
     * Checkpoints a cycle: waits while the journal is away and retries a failed checkpoint, so that no cycle counts
     * without one.
     *
     * @return false when the run was stopped or interrupted before the checkpoint could be made
     * @throws StateConflictException when the journal refuses the cycle (another writer, or a gap)
     */
    private boolean checkpoint(Run run, CycleSnapshot snapshot, List<AgentCheckpoint> states)
            throws InterruptedException, StateConflictException {
        long backoff = 50;
        boolean warned = false;
        while (true) {
            RunJournal j = gate.await(run::stopRequested);
            if (j == null || closed) {
                // a run thread that outlived its runner's close must not commit: a new runner may have resumed
                // the run already
                return false;
            }
            try {
                j.checkpoint(snapshot, states);
                if (warned) {
                    log.info("run " + run.id + ": cycle " + snapshot.cycle() + " checkpointed after waiting");
                }
                return true;
            } catch (StateConflictException e) {
                throw e;
            } catch (IOException e) {
                if (!warned) {
                    log.warn("run " + run.id + ": cycle " + snapshot.cycle() + " could not be checkpointed yet; "
                            + "retrying until the journal takes it", e);
                    warned = true;
                }
                if (run.stopRequested()) {
                    return false;
                }
                Thread.sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
