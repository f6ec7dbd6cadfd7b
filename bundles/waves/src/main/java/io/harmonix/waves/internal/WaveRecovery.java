package io.harmonix.waves.internal;

import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunState;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveStatus;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The coordinator's recovery at a runtime's start, run by run (a wave is one run per instance): a run that goes on
 * here, or can be resumed here, is kept (its instance deployed by {@link Coordinator#prepare} as the runner resumes
 * it); one that another runtime of the cluster drives is left to it; a wave whose runs are gone or have all ended is
 * ended. Then the configurations of waves not running here, and of runs driven elsewhere, are deleted, so none
 * leaks. A wave that cannot be recovered is said so and the others go on.
 */
final class WaveRecovery {
    private final Coordinator coordinator;
    private final AgentDeployment deployment;
    private final CycleRunner runner;
    /** The runs another runtime drives: their configurations here are deleted. */
    private final Set<String> elsewhere = new HashSet<>();

    WaveRecovery(Coordinator coordinator, AgentDeployment deployment, CycleRunner runner) {
        this.coordinator = coordinator;
        this.deployment = deployment;
        this.runner = runner;
    }

    /**
     * @param resumeRuns false in exec mode, whose commands are one-shot (the runner and the workflow engine resume
     *     nothing there either): a wave whose runs were interrupted is kept as it is, to go on at the next start in
     *     run or shell mode, or by {@code cycle:resume} of each
     * @return what was done, one line per wave, then one per configuration deleted
     */
    List<String> recover(boolean resumeRuns) throws SQLException, IOException {
        List<String> done = new ArrayList<>();
        for (Wave w : coordinator.store.unended(coordinator.leases)) {
            try {
                done.add(w.id() + ": " + recover(w, resumeRuns));
            } catch (SQLException | IOException | RuntimeException e) {
                done.add(w.id() + ": not recovered here: " + e.getMessage());
            }
        }
        for (AgentDeployment.Deployed d : deployment.deployed("w-")) {
            String waveId = d.name().substring(0, Math.max(0, d.name().lastIndexOf('-')));
            Optional<Wave> w = coordinator.wave(waveId);
            if (w.isEmpty() || w.get().status().ended()) {
                deployment.remove(d.type(), d.name());
                done.add(d.name() + ": configuration deleted (wave not running)");
                continue;
            }
            String run = coordinator.store.instances(waveId).stream().filter(i -> i.configName().equals(d.name()))
                    .map(WaveStore.Instance::runId).findFirst().orElse(null);
            if (run != null && elsewhere.contains(run) && !coordinator.drivenHere(run)) {
                deployment.remove(d.type(), d.name());
                done.add(d.name() + ": configuration deleted (its wave goes on in another runtime)");
            }
        }
        return done;
    }

    /** Recovers one unended wave. @return what was done */
    private String recover(Wave w, boolean resumeRuns) throws SQLException, IOException {
        Set<String> runs = new LinkedHashSet<>();
        coordinator.store.instances(w.id()).forEach(i -> runs.add(i.runId()));
        List<String> gone = new ArrayList<>();
        List<RunInfo> going = new ArrayList<>();
        List<RunInfo> ended = new ArrayList<>();
        for (String run : runs) {
            Optional<RunInfo> info = run == null ? Optional.empty() : runner.run(run);
            if (info.isEmpty()) {
                gone.add(run);
            } else if (info.get().state().finished()) {
                ended.add(info.get());
            } else {
                going.add(info.get());
            }
        }
        if (runs.isEmpty()) {
            gone.add("(none recorded)"); // a wave whose instances were never recorded: nothing of it can go on
        }
        if (!gone.isEmpty() && w.status() == WaveStatus.DEPLOYING
                && w.startedAt().plus(coordinator.settings().agentWait()).isAfter(coordinator.clock.instant())) {
            // its starter may be waiting for its agents in another runtime: it starts the runs or ends the wave
            return "left (deploying, no run yet: started " + w.startedAt() + ", maybe by another runtime)";
        }
        if (!gone.isEmpty() || going.isEmpty()) {
            // a run gone cannot be done again (the runner kept no journal of it): the others are stopped too, as
            // the wave's cycles wait for every run
            String why = !gone.isEmpty() ? (runs.size() <= 1 ? "its run is gone" : gone.size() == runs.size()
                    ? "its runs are gone" : "its runs " + String.join(", ", gone) + " are gone")
                    : runs.size() == 1 ? "its run is " + ended.get(0).state().name().toLowerCase(Locale.ROOT)
                    : "its runs have ended";
            going.forEach(r -> coordinator.stopHere(r.runId()));
            if (gone.isEmpty() && going.isEmpty()) {
                coordinator.aggregate(w); // cycles committed before the kill whose aggregation it cut off
            }
            boolean completed = gone.isEmpty() && going.isEmpty()
                    && ended.stream().allMatch(r -> r.state() == RunState.COMPLETED);
            coordinator.end(w.id(), completed ? WaveStatus.COMPLETED : WaveStatus.STOPPED, "ended at restart: " + why);
            return "ended (" + why + ")";
        }
        List<String> resumed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> left = new ArrayList<>();
        String leftWhy = null;
        for (RunInfo r : going) {
            if (coordinator.drivenHere(r.runId())) {
                coordinator.prepare(r.runId()); // deploys only what is missing: the run goes on as it is
                resumed.add(r.runId());
            } else if (!resumeRuns) {
                kept.add(r.runId());
            } else {
                try {
                    runner.resume(r.runId()); // claims its lease; the runner has this coordinator prepare it first
                    resumed.add(r.runId());
                } catch (IllegalArgumentException e) {
                    Optional<RunInfo> now = runner.run(r.runId());
                    if (now.isPresent() && !now.get().state().finished() && !coordinator.drivenHere(r.runId())) {
                        elsewhere.add(r.runId());
                        left.add(r.runId());
                        leftWhy = e.getMessage();
                        continue;
                    }
                    throw e;
                }
            }
        }
        List<String> parts = new ArrayList<>();
        if (!resumed.isEmpty()) {
            parts.add("resumed (" + runs(resumed) + ")");
        }
        if (!kept.isEmpty()) {
            parts.add("kept (" + runs(kept) + (kept.size() == 1 ? " is" : " are") + " interrupted; "
                    + (kept.size() == 1 ? "it goes" : "they go") + " on at the next start in run or shell mode, or by "
                    + "cycle:resume " + (kept.size() == 1 ? kept.get(0) : "of each") + ")");
        }
        if (!left.isEmpty()) {
            parts.add("left to the " + (left.size() == 1 ? "runtime that drives " : "runtimes that drive ")
                    + runs(left) + " (" + leftWhy + ")");
        }
        if (!ended.isEmpty()) {
            parts.add("ended already: " + runs(ended.stream().map(RunInfo::runId).toList()));
        }
        return String.join("; ", parts);
    }

    /** How long past the agent wait a wave may stay deploying before a live runtime takes it for left. */
    static final java.time.Duration DEPLOY_SLACK = java.time.Duration.ofSeconds(10);

    /**
     * A wave left deploying by a runtime that died (or lost the database) between starting some of its runs and the
     * last one, seen by a live runtime (every {@link WaveStops#STOP_POLL}) once it has been deploying for longer than
     * its starter could have (the agent wait, and {@link #DEPLOY_SLACK}): its runs not started are started here (their
     * instances deployed here, with the cycles, interval and deadline of a run it started; a run another runtime
     * starts first goes on there), so that the wave goes on; its started runs are taken over by the runner once their
     * leases expire. A wave none of whose runs started is ended. A stop requested meanwhile is left to
     * {@link WaveStops}.
     *
     * @return what was done, one line per wave
     */
    List<String> continueLeft() throws SQLException, IOException {
        List<String> done = new ArrayList<>();
        java.time.Instant before = coordinator.clock.instant().minus(coordinator.settings().agentWait())
                .minus(DEPLOY_SLACK);
        for (WaveStore.Deploying d : coordinator.store.deploying()) {
            if (!d.startedAt().isBefore(before) || coordinator.store.stopRequested(d.id())) {
                continue;
            }
            List<WaveStore.Instance> instances = coordinator.store.instances(d.id());
            List<WaveStore.Instance> missing = new ArrayList<>();
            RunInfo model = null;
            for (WaveStore.Instance in : instances) {
                Optional<RunInfo> run = in.runId() == null ? Optional.empty() : runner.run(in.runId());
                if (run.isPresent()) {
                    model = run.get();
                } else {
                    missing.add(in);
                }
            }
            if (model == null) {
                coordinator.end(d.id(), WaveStatus.STOPPED, "its starter went away before starting its runs "
                        + "(deploying for longer than the agent wait)");
                done.add(d.id() + ": ended (its starter went away before starting its runs)");
                continue;
            }
            Optional<Wave> w = coordinator.wave(d.id());
            if (w.isEmpty() || w.get().status().ended()) {
                continue;
            }
            List<String> absent = coordinator.deployHere(w.get().target(), missing);
            if (!absent.isEmpty()) {
                done.add(d.id() + ": not continued here: its agents did not appear: " + String.join(", ", absent));
                missing.forEach(in -> coordinator.runEnded(in));
                continue;
            }
            List<String> started = new ArrayList<>();
            for (WaveStore.Instance in : missing) {
                if (coordinator.startRun(in, model.cycles(), model.interval(), model.deadline())) {
                    started.add(in.runId());
                }
            }
            coordinator.store.running(d.id());
            coordinator.dropOffered(missing);
            done.add(d.id() + ": continued (its starter went away; " + (started.isEmpty() ? "no run" : runs(started))
                    + " started here)");
        }
        return done;
    }

    private static String runs(List<String> ids) {
        return (ids.size() == 1 ? "run " : "runs ") + String.join(", ", ids);
    }
}
