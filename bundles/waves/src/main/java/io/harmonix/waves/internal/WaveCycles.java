package io.harmonix.waves.internal;

import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.RunState;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport.Conflict;
import io.harmonix.waves.api.WaveReport.WaveProposal;
import io.harmonix.waves.api.WaveStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the coordinator does on the runner's cycle events (it is a {@link CycleListener} on the whiteboard): for a
 * wave's run, each cycle renews its instances' leases, aggregates what they found and proposed, records it and
 * submits the surviving proposals; the end of the run ends the wave (its interruption does not: it goes on, in
 * another runtime of the cluster or here after a restart). The cycles of other runs feed the
 * {@link RunPace} that infinite mode reads.
 */
final class WaveCycles implements CycleListener {
    /** A proposal's status in the wave before the ledger answered. */
    private static final String KEPT = "kept";
    private final Coordinator coordinator;
    private final RunPace pace;
    private final ProposalSink sink;
    private final Consumer<String> log;

    WaveCycles(Coordinator coordinator, RunPace pace, ProposalSink sink, Consumer<String> log) {
        this.coordinator = coordinator;
        this.pace = pace;
        this.sink = sink;
        this.log = log;
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
            if (wave == null || wave.status().ended()) {
                return;
            }
            switch (event.type()) {
                case CYCLE_STARTED -> doing(wave, "cycle " + event.cycle() + " of " + wave.cycles());
                case CYCLE_COMPLETED -> completed(wave, event.snapshot());
                case RUN_FINISHED -> finished(wave, event.message());
                default -> { }
            }
        } catch (SQLException | RuntimeException e) {
            log.accept("wave of run " + event.runId() + ": " + event.type() + " could not be handled: " + e);
        }
    }

    private void doing(Wave wave, String what) throws SQLException {
        for (var in : wave.instances()) {
            coordinator.store.doing(in.agentId(), what);
        }
    }

    /** Renews the leases, then aggregates with the components each instance owns now. */
    void completed(Wave wave, CycleSnapshot snapshot) throws SQLException {
        Map<String, List<String>> owned = new LinkedHashMap<>();
        for (var in : wave.instances()) {
            coordinator.leases.renew(in.agentId(), coordinator.clock.instant(), coordinator.settings().leaseTime());
            owned.put(in.agentId(), coordinator.leases.held(in.agentId()).stream().map(Leases.Lease::component)
                    .toList());
        }
        Aggregation.Result r = Aggregation.of(snapshot, owned);
        coordinator.store.findings(wave.id(), r.findings());
        for (Conflict c : r.conflicts()) {
            coordinator.store.conflict(wave.id(), c);
        }
        for (Aggregation.Refused refused : r.refused()) {
            WaveProposal p = new WaveProposal(r.cycle(), refused.proposal().fingerprint(), refused.agentId(),
                    refused.proposal().title(), null, "refused");
            if (sink != null && coordinator.store.proposal(wave.id(), p)) {
                ProposalSink.Submitted s = call(() -> sink.refuse(wave.id(), refused));
                coordinator.store.proposalStatus(wave.id(), p.fingerprint(), s.enhancementId(), s.status());
            }
        }
        int submitted = 0;
        for (Aggregation.Candidate c : r.kept()) {
            WaveProposal p = new WaveProposal(r.cycle(), c.proposal().fingerprint(), c.agentId(), c.proposal().title(),
                    null, KEPT);
            if (!coordinator.store.proposal(wave.id(), p)
                    && !coordinator.store.unanswered(wave.id(), p.fingerprint(), KEPT)) {
                continue; // made again by its agent: submitted once already
            }
            // new, or recorded by a cycle whose submission a kill cut off: the ledger keeps one record of it and
            // starts a validation only for a record still proposed, so submitting again validates nothing twice
            submitted++;
            ProposalSink.Submitted s = submit(wave, c);
            coordinator.store.proposalStatus(wave.id(), p.fingerprint(), s.enhancementId(), s.status());
        }
        doing(wave, "cycle " + r.cycle() + " of " + wave.cycles() + " done: " + r.findings().size() + " findings, "
                + r.kept().size() + " proposals kept (" + submitted + " new), " + r.conflicts().size() + " conflicts");
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

    private void finished(Wave wave, String message) {
        RunState state = coordinator.runState(wave.runId());
        if (state == RunState.INTERRUPTED) {
            // not the wave's end: its run goes on in the runtime that holds it now (this one lost its lease), or here
            // after a restart; the wave ends with the run, wherever that is
            return;
        }
        WaveStatus status = state == RunState.COMPLETED ? WaveStatus.COMPLETED
                : state == RunState.FAILED ? WaveStatus.FAILED : WaveStatus.STOPPED;
        coordinator.end(wave.id(), status, message);
    }
}
