package io.harmonix.runner.internal;

import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The cycle recorders (the index, through the recorder whiteboard) and the ways the runner hands them a snapshot.
 * Recorders are idempotent on the cycle id, so a snapshot handed over twice is kept once.
 */
final class CycleRecorders {
    private final List<CycleRecorder> recorders = new CopyOnWriteArrayList<>();
    private final RunnerLog log;
    private final BooleanSupplier runnerClosed;

    CycleRecorders(RunnerLog log, BooleanSupplier runnerClosed) {
        this.log = log;
        this.runnerClosed = runnerClosed;
    }

    void add(CycleRecorder recorder) {
        recorders.add(recorder);
    }

    void remove(CycleRecorder recorder) {
        recorders.remove(recorder);
    }

    /** Hands {@code snapshot} to every recorder present, once; the first failure ends it. */
    void recordOnce(CycleSnapshot snapshot) throws IOException {
        for (CycleRecorder recorder : recorders) {
            recorder.recordCycle(snapshot);
        }
    }

    /**
     * Hands a committed snapshot to every recorder, waiting while none is present and retrying while one fails, so
     * that a run never gets ahead of its index. Gives up only when the run stops or the runner closes: an
     * interrupted run records the snapshot when it resumes; for a run stopped while its index was away,
     * {@link RunRecovery#recordLastCyclesOfFinishedRuns} does it when a runner starts.
     */
    void recordUntilTaken(Run run, CycleSnapshot snapshot) throws InterruptedException {
        long backoff = 50;
        boolean warned = false;
        while (!runnerClosed.getAsBoolean() && !run.stopRequested()) {
            if (recorders.isEmpty()) {
                if (!warned) {
                    log.warn("run " + run.id + " waits: no cycle recorder (the index) is present", null);
                    warned = true;
                }
                Thread.sleep(50);
                continue;
            }
            try {
                recordOnce(snapshot);
                return;
            } catch (IOException | RuntimeException e) {
                if (!warned) {
                    log.warn("run " + run.id + ": cycle " + snapshot.cycle() + " could not be recorded yet; retrying",
                            e);
                    warned = true;
                }
                Thread.sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    /**
     * Waits up to {@code wait} for a recorder to be present.
     *
     * @return false when none came in time, or the runner closed
     */
    boolean awaitAny(Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (recorders.isEmpty()) {
            if (System.nanoTime() > end || runnerClosed.getAsBoolean()) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
