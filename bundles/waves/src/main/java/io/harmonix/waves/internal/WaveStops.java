package io.harmonix.waves.internal;

import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunState;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stopping and ending waves in a cluster: a wave's runs may be driven by several runtimes, and {@code wave:stop} may be typed in
 * any of them. The stop is recorded in the wave's row ({@link WaveStore#requestStop}); the runtime where it is typed
 * stops the runs it drives or that nobody drives; every runtime stops the runs it drives when it sees the request,
 * at the run's next cycle ({@link WaveCycles}) or within {@link #STOP_POLL} ({@link #actOnStops}); the wave ends
 * once all its runs have ({@link Coordinator#endIfRunsEnded}).
 */
final class WaveStops {
    private final Coordinator coordinator;
    private final CycleRunner runner;

    WaveStops(Coordinator coordinator, CycleRunner runner) {
        this.coordinator = coordinator;
        this.runner = runner;
    }

    /**
     * Stops a wave from this runtime, whichever runtimes drive its runs: the stop is recorded in its row (each
     * runtime driving one of its runs stops it at its next cycle, or within {@link #STOP_POLL}), the runs this
     * runtime drives, or that nobody drives, are stopped here (waiting for the cycle under way, up to the agent
     * wait), and the wave ends once all its runs have.
     *
     * @return the wave: stopped, or running with the message that its stop was requested
     */
    Wave stop(String waveId) {
        Wave w = coordinator.wave(waveId).orElseThrow(() -> new IllegalArgumentException("wave:stop: no wave '"
                + waveId + "' (wave:list shows them)"));
        if (w.status().ended()) {
            return w;
        }
        try {
            Instant now = coordinator.clock.instant();
            coordinator.store.requestStop(waveId, now, "stop requested at " + now.truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS) + ": its runs stop in the runtimes driving them");
            List<String> here = new ArrayList<>();
            for (WaveStore.Instance in : coordinator.store.instances(waveId)) {
                if (stopHere(in.runId())) {
                    here.add(in.runId());
                }
            }
            Instant until = coordinator.clock.instant().plus(coordinator.settings().agentWait());
            for (String run : here) {
                java.time.Duration left = java.time.Duration.between(coordinator.clock.instant(), until);
                runner.await(run, left.isNegative() ? java.time.Duration.ZERO : left);
            }
            coordinator.endIfRunsEnded(waveId);
        } catch (SQLException e) {
            throw new IllegalStateException("wave " + waveId + " could not be stopped: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return coordinator.wave(waveId).orElseThrow();
    }

    /** How often each runtime looks for the stops of waves requested elsewhere. */
    static final java.time.Duration STOP_POLL = java.time.Duration.ofSeconds(1);

    /**
     * Stops a run of a wave if this runtime may: it drives it, or nobody does (its lease expired, or it was offered
     * and not claimed): the runner then claims its lease and records it stopped.
     *
     * @return true when the run is going here and stops after its cycle under way
     */
    boolean stopHere(String runId) {
        if (runId == null) {
            return false;
        }
        Optional<RunInfo> run = runner.run(runId);
        if (run.isEmpty() || run.get().state().finished()) {
            return false;
        }
        boolean here = coordinator.drivenHere(runId);
        try {
            runner.stop(runId);
            return here;
        } catch (IllegalArgumentException | IllegalStateException elsewhere) {
            return false; // another runtime drives it: it stops it when it sees the request
        }
    }

    /**
     * Every {@link #STOP_POLL}, in every runtime: the runs of waves whose stop was requested (maybe in another
     * runtime) that this runtime drives, or that nobody drives, are stopped; a wave all of whose runs have ended is
     * ended.
     */
    void actOnStops() throws SQLException {
        Set<String> waves = new java.util.TreeSet<>();
        for (String run : coordinator.store.runsToStop()) {
            stopHere(run);
            coordinator.store.byRun(run, coordinator.leases).ifPresent(w -> waves.add(w.id()));
        }
        for (String waveId : waves) {
            coordinator.endIfRunsEnded(waveId);
        }
    }

    /**
     * Ends a wave whose runs have all ended (completed, stopped or failed: an interrupted run goes on, here or in
     * another runtime), with the status they come to: failed when one failed, stopped when a stop was requested or
     * one was stopped, else completed. A wave still deploying is left to its starter.
     *
     * @return true when the wave has ended (now or before)
     */
    boolean endIfRunsEnded(String waveId) {
        Optional<Wave> w = coordinator.wave(waveId);
        if (w.isEmpty() || w.get().status().ended()) {
            return true;
        }
        try {
            boolean stopRequested = coordinator.store.stopRequested(waveId);
            List<RunInfo> ended = new ArrayList<>();
            for (WaveStore.Instance in : coordinator.store.instances(waveId)) {
                Optional<RunInfo> run = in.runId() == null ? Optional.empty() : runner.run(in.runId());
                if (run.isEmpty() && stopRequested) {
                    continue; // never started, and never will be
                }
                if (run.isEmpty() || !run.get().state().finished()) {
                    return false;
                }
                ended.add(run.get());
            }
            if (w.get().status() == WaveStatus.DEPLOYING && !stopRequested) {
                return false;
            }
            coordinator.aggregate(w.get()); // its last cycles first (one whose event a kill lost, too): its report is whole
            RunInfo failed = ended.stream().filter(r -> r.state() == RunState.FAILED).findFirst().orElse(null);
            RunInfo stopped = ended.stream().filter(r -> r.state() == RunState.STOPPED).findFirst().orElse(null);
            if (failed != null) {
                coordinator.end(waveId, WaveStatus.FAILED, "run " + failed.runId() + " failed" + (failed.message() == null ? ""
                        : ": " + failed.message()));
            } else if (stopRequested) {
                coordinator.end(waveId, WaveStatus.STOPPED, "stopped on request");
            } else if (stopped != null) {
                coordinator.end(waveId, WaveStatus.STOPPED, "run " + stopped.runId() + " stopped" + (stopped.message() == null
                        ? "" : ": " + stopped.message()));
            } else {
                coordinator.end(waveId, WaveStatus.COMPLETED, "completed");
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("wave " + waveId + " unreadable: " + e, e);
        }
    }

}
