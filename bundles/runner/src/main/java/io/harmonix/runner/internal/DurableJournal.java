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
    private final ServiceDiagnosis diagnosis;
    private volatile boolean closed;

    DurableJournal(JournalGate gate, RunnerLog log, ServiceDiagnosis diagnosis) {
        this.gate = gate;
        this.log = log;
        this.diagnosis = diagnosis;
    }

    @Override
    public RunJournal current() {
        return gate.current();
    }

    @Override
    public RunJournal await(BooleanSupplier giveUp) throws InterruptedException {
        return gate.await(giveUp);
    }

    /**
     * Waits while the journal is away, as long as it may come: a journal whose component failed to start (its
     * database unusable: a read-only folder, a full disk) is reported at once with that reason.
     */
    @Override
    public RunJournal within(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        String[] why = new String[1];
        long[] nextDiagnosis = {0};
        try {
            RunJournal j = gate.await(() -> {
                if (System.nanoTime() - nextDiagnosis[0] > 0) {
                    why[0] = diagnosis.whyAbsent(RunJournal.class.getName());
                    nextDiagnosis[0] = System.nanoTime() + 250_000_000L;
                }
                return why[0] != null || System.nanoTime() > end;
            });
            if (j == null) {
                throw new IllegalStateException("runs are durable, and the run journal (bundle io.harmonix.state, "
                        + "on io.harmonix.store) is not available" + (why[0] != null ? ": " + why[0]
                        : " (not for " + wait.toSeconds() + "s)"));
            }
            return j;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run journal", e);
        }
    }

    @Override
    public RunJournal readable() {
        return within(Duration.ofSeconds(10));
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
            throws InterruptedException, IOException {
        if (!checkpoint(run, cycle.snapshot(), cycle.checkpoints())) {
            return false; // stopped while the journal was away: this cycle does not count
        }
        cycle.countIn(run);
        index.recordUntilTaken(run, cycle.snapshot());
        return true;
    }

    /**
     * Checkpoints a cycle: waits while the journal is away (its bundle, or the store's, stopped or updated), and
     * retries a failed checkpoint a few times (a journal closing under the run), so that no cycle counts without a
     * checkpoint. A journal that keeps refusing it (a full disk, a read-only database) fails the run with its
     * reason: retrying for ever left the run "running" with only a warning in the log.
     *
     * @return false when the run was stopped or interrupted before the checkpoint could be made
     * @throws StateConflictException when the journal refuses the cycle (another writer, or a gap)
     * @throws IOException when the journal failed the checkpoint {@value CycleRecorders#ATTEMPTS} times in a row
     */
    private boolean checkpoint(Run run, CycleSnapshot snapshot, List<AgentCheckpoint> states)
            throws InterruptedException, IOException {
        long backoff = 50;
        int failures = 0;
        IOException first = null;
        boolean warned = false;
        while (true) {
            RunJournal j = gate.await(run::stopRequested);
            if (j == null || closed || run.lost()) {
                // a run thread that outlived its runner's close, or whose lease another runtime holds now, must
                // not commit: another runner may have resumed the run already
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
                // the first failure is the cause (Derby shuts a database down when it cannot write its log, so
                // the retries only find it closed)
                first = first == null ? e : first;
                if (gate.current() == j && ++failures >= CycleRecorders.ATTEMPTS) {
                    throw new IOException("cycle " + snapshot.cycle() + " could not be made durable: the run "
                            + "journal refused its checkpoint: " + Faults.describe(first), first);
                }
                if (!warned) {
                    log.warn("run " + run.id + ": cycle " + snapshot.cycle() + " could not be checkpointed yet; "
                            + "retrying", e);
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
