package io.harmonix.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** One run's definition and its mutable progress; guarded by its own monitor. */
final class Run {
    final String id;
    final RunRequest request;
    final Duration deadline;
    final Instant startedAt;
    final CountDownLatch finished = new CountDownLatch(1);
    /** Each agent's state after the last committed cycle, by agent id. */
    final Map<String, JsonNode> states = new HashMap<>();

    private final int historySize;
    private final Deque<CycleSnapshot> recent = new ArrayDeque<>();
    private RunState state = RunState.RUNNING;
    /** Between {@link #finishUntold} and {@link #told}. */
    private boolean endUntold;
    private boolean pauseRequested;
    private boolean stopRequested;
    private long completedCycles;
    private long failedEntries;
    private Instant endedAt;
    private String message;
    /** Set when the run ends because the runner goes away: the journal then keeps it resumable. */
    private boolean interrupted;
    /** Set when another runtime holds the run's lease now: it goes on there, and this one writes nothing more. */
    private boolean lost;
    final String forkedFrom;
    Thread thread;

    /**
     * @param completedCycles the last committed cycle (0 for a new run; where a resumed or forked run goes on from)
     * @param paused whether it starts paused (a paused run resumed after a restart)
     */
    Run(String id, RunRequest request, Duration deadline, int historySize, long completedCycles, boolean paused,
            String forkedFrom, Instant startedAt) {
        this.id = id;
        this.request = request;
        this.deadline = deadline;
        this.historySize = historySize;
        this.completedCycles = completedCycles;
        this.pauseRequested = paused;
        this.forkedFrom = forkedFrom;
        this.startedAt = startedAt;
    }

    synchronized RunInfo info() {
        return new RunInfo(id, state, request.agentIds(), request.cycles(), request.interval(), deadline,
                completedCycles, failedEntries, startedAt, endedAt, message, forkedFrom);
    }

    /** Stops the run because the runner goes away; it stays resumable. */
    synchronized void interrupt(String why) {
        interrupted = true;
        requestStop(why);
    }

    synchronized boolean interrupted() {
        return interrupted;
    }

    /** Stops the run because another runtime holds its lease now: nothing more of it is written here. */
    synchronized void lose(String why) {
        lost = true;
        interrupted = true;
        requestStop(why);
    }

    synchronized boolean lost() {
        return lost;
    }

    /** @return the oldest retained snapshot's cycle, or 0 when none is retained */
    synchronized long oldestRetained() {
        return recent.isEmpty() ? 0 : recent.peekFirst().cycle();
    }

    synchronized RunState state() {
        return state;
    }

    /** The run waits in this runner's queue for room ({@code maxRuns}): it has no thread yet. */
    synchronized void queue(String why) {
        state = RunState.OFFERED;
        message = why;
    }

    /**
     * Takes the run out of the queue to start it (its thread is started next).
     *
     * @return false when it was stopped while it waited
     */
    synchronized boolean leaveQueue() {
        if (state != RunState.OFFERED || stopRequested) {
            return false;
        }
        state = RunState.RUNNING;
        message = null;
        return true;
    }

    /** @return whether the run takes room here: its thread drives it (running or paused) */
    synchronized boolean going() {
        return state == RunState.RUNNING || state == RunState.PAUSED;
    }

    /**
     * Whether the run takes a place of {@code maxRuns} here: while it goes, and after its end until that end was told
     * ({@link #told}), so that no listener hears of the next run taking the place before it hears of this one's end.
     */
    synchronized boolean holdsPlace() {
        return going() || endUntold;
    }

    /**
     * Ends the run before its end is told: it shows its final state at once (a listener told of the end and reading
     * the run finds it ended: the waves end a wave when its runs read so), and keeps its place until {@link #told}.
     */
    synchronized void finishUntold(RunState end, String why) {
        endUntold = true;
        ended(end, why);
    }

    /**
     * The run's end was told (its RUN_FINISHED event published): its place is free, and only now are those who await
     * its end answered, so that a run started after an await that saw this one end finds its place free.
     */
    synchronized void told() {
        endUntold = false;
        finished.countDown();
    }

    synchronized long completedCycles() {
        return completedCycles;
    }

    synchronized boolean moreCycles() {
        return !stopRequested && (request.cycles() == RunRequest.UNTIL_STOPPED || completedCycles < request.cycles());
    }

    synchronized void committed(CycleSnapshot snapshot, int failed) {
        completedCycles = snapshot.cycle();
        failedEntries += failed;
        recent.addLast(snapshot);
        while (recent.size() > historySize) {
            recent.removeFirst();
        }
    }

    synchronized List<CycleSnapshot> cyclesAfter(long cycle) {
        List<CycleSnapshot> out = new ArrayList<>();
        for (CycleSnapshot s : recent) {
            if (s.cycle() > cycle) {
                out.add(s);
            }
        }
        return out;
    }

    synchronized void requestPause() {
        if (state.finished()) {
            throw new IllegalArgumentException("run '" + id + "' has finished (" + state.name().toLowerCase()
                    + "); it cannot be paused");
        }
        pauseRequested = true;
        notifyAll(); // ends the wait between cycles: the run pauses now, not after its interval
    }

    synchronized void requestResume() {
        if (state.finished()) {
            throw new IllegalArgumentException("run '" + id + "' has finished (" + state.name().toLowerCase()
                    + "); it cannot be resumed");
        }
        pauseRequested = false;
        if (state == RunState.PAUSED) {
            state = RunState.RUNNING; // what the command shows: its thread wakes up to it
        }
        notifyAll();
    }

    synchronized void requestStop(String why) {
        if (!state.finished() && !stopRequested) {
            stopRequested = true;
            message = why;
            notifyAll();
        }
    }

    /**
     * Called by the run's thread between cycles: enters the paused state when a pause was requested.
     *
     * @return true when the run is now paused ({@link #awaitResume} then blocks until it is resumed or stopped)
     */
    synchronized boolean pauseIfRequested() {
        if (!pauseRequested || stopRequested) {
            return false;
        }
        state = RunState.PAUSED;
        return true;
    }

    synchronized void awaitResume() throws InterruptedException {
        while (pauseRequested && !stopRequested) {
            wait();
        }
        if (!stopRequested) {
            state = RunState.RUNNING;
        }
    }

    /** Sleeps for the interval between cycles; a stop or pause request ends the sleep early. */
    synchronized void sleepInterval() throws InterruptedException {
        long end = System.nanoTime() + request.interval().toNanos();
        long left;
        while (!stopRequested && !pauseRequested && (left = end - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized void finish(RunState end, String why) {
        ended(end, why);
        finished.countDown();
    }

    private void ended(RunState end, String why) {
        state = end;
        if (why != null) {
            message = why;
        }
        endedAt = Instant.now();
    }

    synchronized boolean stopRequested() {
        return stopRequested;
    }
}
