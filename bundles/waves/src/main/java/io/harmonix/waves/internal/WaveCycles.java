package io.harmonix.waves.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunState;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport.WaveProposal;
import io.harmonix.waves.api.WaveStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the coordinator does on the runner's cycle events (it is a {@link CycleListener} on the whiteboard), keyed
 * by run: a wave is one run per instance ({@code wave-ID-N}), each driven by whichever runtime of the cluster holds
 * its lease, so each runtime hears only the cycles of the runs it drives. A cycle of a run renews its instance's
 * leases; then every cycle of the wave that all its runs have committed (read from the runner: the journal,
 * shared by the cluster) and that is not aggregated yet is put together over the runs ({@link Aggregation}) and
 * recorded once ({@link WaveStore#recordCycle}, whichever runtime gets there first), and its surviving proposals
 * submitted. The end of a run ends its instance here; the end of the wave's last run ends the wave (an interruption
 * does not: the run goes on, in another runtime of the cluster or here after a restart). A stop requested in the
 * wave's row stops the run at its next cycle. The cycles of other runs feed the {@link RunPace} that infinite mode
 * reads.
 */
final class WaveCycles implements CycleListener {
    private final Coordinator coordinator;
    private final RunPace pace;
    private final ProposalSink sink;
    private final Consumer<String> log;

    WaveCycles(Coordinator coordinator, RunPace pace, ProposalSink sink, Consumer<String> log) {
        this.coordinator = coordinator;
        this.pace = pace;
        this.sink = sink;
        this.log = log;
        coordinator.aggregator(this::aggregate);
    }

    @Override
    public void onEvent(CycleEvent event) {
        if (!event.runId().startsWith(Coordinator.RUN_PREFIX)) {
            if (event.snapshot() != null) {
                pace.cycle(event.runId(), Duration.between(event.snapshot().startedAt(), event.snapshot().endedAt()));
            }
            return;
        }
        try {
            Wave wave = coordinator.store.byRun(event.runId(), coordinator.leases).orElse(null);
            if (wave == null) {
                return;
            }
            if (wave.status().ended()) {
                if (event.type() == io.harmonix.cycle.api.CycleEventType.CYCLE_STARTED) {
                    // its wave failed while this runtime drove the run (its deployment failed on the runtime that
                    // started it): the run stops after this cycle, its configuration here goes at its end (below)
                    coordinator.stopHere(event.runId());
                }
                if (event.type() == io.harmonix.cycle.api.CycleEventType.RUN_FINISHED
                        && coordinator.runState(event.runId()) != RunState.INTERRUPTED) {
                    // another runtime ended the wave as this run ended here: its configuration here goes all the same
                    coordinator.runEnded(event.runId());
                }
                return;
            }
            switch (event.type()) {
                case CYCLE_STARTED -> {
                    stopIfRequested(wave, event.runId());
                    doing(event.runId(), "cycle " + event.cycle() + " of " + wave.cycles());
                }
                case CYCLE_COMPLETED -> completed(wave, event.runId(), event.snapshot());
                case RUN_FINISHED -> finished(wave, event.runId(), event.message());
                default -> { }
            }
        } catch (SQLException | RuntimeException e) {
            log.accept("wave of run " + event.runId() + ": " + event.type() + " could not be handled: " + e);
        }
    }

    private void doing(String runId, String what) throws SQLException {
        for (WaveStore.Instance in : coordinator.store.instancesOfRun(runId)) {
            coordinator.store.doing(in.agentId(), what);
        }
    }

    /** The wave was asked to stop (maybe in another runtime): its run here stops after this cycle. */
    private void stopIfRequested(Wave wave, String runId) throws SQLException {
        if (coordinator.store.stopRequested(wave.id())) {
            coordinator.stopHere(runId);
        }
    }

    /** Renews the run's instance's leases, then aggregates the cycles of the wave that all its runs committed. */
    void completed(Wave wave, String runId, CycleSnapshot snapshot) throws SQLException {
        for (WaveStore.Instance in : coordinator.store.instancesOfRun(runId)) {
            coordinator.leases.renew(in.agentId(), coordinator.clock.instant(), coordinator.settings().leaseTime());
            coordinator.store.doing(in.agentId(), "cycle " + snapshot.cycle() + " of " + wave.cycles()
                    + " committed");
        }
        stopIfRequested(wave, runId);
        aggregate(wave);
    }

    /**
     * Aggregates, in order, each cycle of the wave that every one of its runs has committed (or ended before: a run
     * stopped or failed holds no cycle back) and no runtime has aggregated yet. Every runtime driving a run of the
     * wave calls it at each cycle, so a cycle whose event was lost (a kill between its commit and this) is caught up
     * at the next one.
     */
    void aggregate(Wave wave) throws SQLException {
        List<WaveStore.Instance> instances = coordinator.store.instances(wave.id());
        Set<String> runs = new LinkedHashSet<>();
        instances.forEach(in -> runs.add(in.runId()));
        long ready = Long.MAX_VALUE;
        long most = 0;
        Map<String, RunInfo> infos = new LinkedHashMap<>();
        for (String run : runs) {
            Optional<RunInfo> info = run == null ? Optional.empty() : coordinator.run(run);
            if (info.isEmpty()) {
                if (wave.status() == WaveStatus.DEPLOYING) {
                    return; // not started yet: it will commit every cycle
                }
                continue; // gone (the wave ends at the next start): it holds nothing back
            }
            infos.put(run, info.get());
            most = Math.max(most, info.get().completedCycles());
            if (!info.get().state().finished()) {
                ready = Math.min(ready, info.get().completedCycles());
            }
        }
        ready = Math.min(ready, most);
        for (long cycle = coordinator.store.lastAggregated(wave.id()) + 1; cycle <= ready; cycle++) {
            aggregate(wave, cycle, instances, infos.keySet());
        }
    }

    /** Aggregates one cycle of the wave over its runs, records it once and submits its proposals. */
    private void aggregate(Wave wave, long cycle, List<WaveStore.Instance> instances, Set<String> runs)
            throws SQLException {
        List<AgentEntry> entries = new ArrayList<>();
        for (String run : runs) {
            coordinator.cycle(run, cycle).ifPresent(s -> entries.addAll(s.agents()));
        }
        Map<String, List<String>> owned = new LinkedHashMap<>();
        for (WaveStore.Instance in : instances) {
            owned.put(in.agentId(), coordinator.leases.held(in.agentId()).stream().map(Leases.Lease::component)
                    .toList());
        }
        Aggregation.Result r = Aggregation.of(cycle, entries, owned);
        Optional<WaveStore.Recorded> recorded = coordinator.store.recordCycle(wave.id(), r, coordinator.clock.instant(),
                sink != null);
        if (recorded.isEmpty()) {
            return; // another runtime (or an earlier event here) aggregated it
        }
        for (Aggregation.Refused refused : recorded.get().refused()) {
            if (sink != null) {
                ProposalSink.Submitted s = call(() -> sink.refuse(wave.id(), refused));
                coordinator.store.proposalStatus(wave.id(), refused.proposal().fingerprint(), s.enhancementId(),
                        s.status());
            }
        }
        for (Aggregation.Candidate c : recorded.get().submit()) {
            ProposalSink.Submitted s = submit(wave, c);
            coordinator.store.proposalStatus(wave.id(), c.proposal().fingerprint(), s.enhancementId(), s.status());
        }
        coordinator.store.aggregated(wave.id(), cycle, "cycle " + cycle + " of " + wave.cycles() + " done: "
                + r.findings().size() + " findings, " + r.kept().size() + " proposals kept ("
                + recorded.get().submit().size() + " new), " + r.conflicts().size() + " conflicts");
    }

    private ProposalSink.Submitted submit(Wave wave, Aggregation.Candidate c) {
        if (sink == null) {
            return new ProposalSink.Submitted(null, "not submitted: no enhancement ledger present");
        }
        return call(() -> sink.submit(wave.id(), c));
    }

    private interface Call {
        ProposalSink.Submitted call() throws Exception;
    }

    /** A ledger that fails one proposal fails only that one: the reason is its status in the wave. */
    private static ProposalSink.Submitted call(Call call) {
        try {
            return call.call();
        } catch (Exception e) {
            return new ProposalSink.Submitted(null, "not submitted: " + e.getMessage());
        }
    }

    /**
     * A run of the wave ended here. Interrupted, it is not its end: it goes on in the runtime that holds it now (this
     * one lost its lease), or here after a restart. Else its instance is done here, and when it was the wave's last
     * run going, the wave ends, its cycles aggregated first.
     */
    private void finished(Wave wave, String runId, String message) throws SQLException {
        RunState state = coordinator.run(runId).map(RunInfo::state).orElse(null);
        if (state == RunState.INTERRUPTED) {
            return;
        }
        coordinator.runEnded(runId);
        if (state == RunState.FAILED) {
            coordinator.store.requestStop(wave.id(), coordinator.clock.instant(), "stopping: run " + runId
                    + " failed: " + message);
        }
        coordinator.endIfRunsEnded(wave.id()); // which aggregates what is left first
    }
}
