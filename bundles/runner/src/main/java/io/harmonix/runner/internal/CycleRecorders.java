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
    private final ServiceDiagnosis diagnosis;

    /**
     * How many times in a row a recorder may fail one snapshot before the run fails: enough to ride out an index
     * closing under an append (its service then goes, and the run waits for the next one), few enough that a
     * full disk or a read-only folder is reported within seconds rather than retried for ever.
     */
    static final int ATTEMPTS = 6;
    /** How long a stop waits for an absent index before leaving the cycle to the next start's catch-up. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    CycleRecorders(RunnerLog log, BooleanSupplier runnerClosed, ServiceDiagnosis diagnosis) {
        this.log = log;
        this.runnerClosed = runnerClosed;
        this.diagnosis = diagnosis;
    }

    boolean isEmpty() {
        return recorders.isEmpty();
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
     * that a run never gets ahead of its index. A stop does not end this while a recorder is present: a committed cycle
     * is recorded before its run can end, whatever the mode (an exec-mode runtime may never start again to catch up);
     * with none present, a stop waits {@link #STOP_WAIT}, then leaves it to the next start's catch-up. It ends without the
     * snapshot recorded only when the runner closes: the run is then interrupted, and records it again when it
     * resumes.
     *
     * @throws IOException when the snapshot cannot be recorded: a recorder refused it {@value #ATTEMPTS} times in
     *     a row (a full disk, a read-only folder), or none is present and the framework says why none will come
     *     (the index failed to start); the run fails with that reason, and records the snapshot again when resumed
     */
    void recordUntilTaken(Run run, CycleSnapshot snapshot) throws InterruptedException, IOException {
        long backoff = 50;
        int failures = 0;
        Exception first = null;
        boolean warned = false;
        long nextDiagnosis = 0;
        long stopWaitEnd = 0;
        while (!runnerClosed.getAsBoolean()) {
            if (recorders.isEmpty()) {
                if (System.nanoTime() - nextDiagnosis > 0) {
                    String why = diagnosis.whyAbsent(CycleRecorder.class.getName());
                    if (why != null) {
                        throw new IOException("cycle " + snapshot.cycle() + " is committed, but no cycle recorder "
                                + "(the index) is present to record it: " + why);
                    }
                    nextDiagnosis = System.nanoTime() + 250_000_000L;
                }
                if (!warned) {
                    log.warn("run " + run.id + " waits: no cycle recorder (the index) is present", null);
                    warned = true;
                }
                if (run.stopRequested()) {
                    // a stop must not wait for an index bundle stopped by hand: it waits a while, then the cycle is
                    // left to the catch-up every start does (RunRecovery.recordLastCommittedCycles)
                    stopWaitEnd = stopWaitEnd == 0 ? System.nanoTime() + STOP_WAIT.toNanos() : stopWaitEnd;
                    if (System.nanoTime() - stopWaitEnd > 0) {
                        log.warn("run " + run.id + " stops with cycle " + snapshot.cycle() + " committed but not yet "
                                + "in the index (no cycle recorder present): it is recorded when a runtime next "
                                + "starts on this data folder", null);
                        return;
                    }
                }
                Thread.sleep(50);
                continue;
            }
            try {
                recordOnce(snapshot);
                if (warned) {
                    log.info("run " + run.id + ": cycle " + snapshot.cycle() + " recorded after waiting");
                }
                return;
            } catch (IOException | RuntimeException e) {
                first = first == null ? e : first; // the cause; a retry may only find the index broken by it
                if (++failures >= ATTEMPTS) {
                    throw new IOException("cycle " + snapshot.cycle() + " is committed, but the index could not "
                            + "record it: " + Faults.describe(first), first);
                }
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
