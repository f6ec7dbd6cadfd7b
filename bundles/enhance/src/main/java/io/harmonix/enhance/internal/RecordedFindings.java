package io.harmonix.enhance.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The enhancement agents' cycles as the runner recorded them: each snapshot entry whose outputs
 * {@link FindingCycle#read} reads. The runner's own record is the one source, so what the commands show is what
 * the index and the propagation carry.
 */
public final class RecordedFindings {
    /** One enhancement agent's part of one recorded cycle. */
    public record AgentCycle(String runId, long cycle, Instant endedAt, String agentId, CycleFindings findings) {
    }

    private RecordedFindings() {
    }

    /** @return the enhancement entries of one snapshot, by agent id */
    public static List<AgentCycle> of(CycleSnapshot s) {
        List<AgentCycle> out = new ArrayList<>();
        for (AgentEntry e : s.agents()) {
            if (e.status() == AgentStatus.OK) {
                FindingCycle.read(e.outputs()).ifPresent(f ->
                        out.add(new AgentCycle(s.runId(), s.cycle(), s.endedAt(), e.agentId(), f)));
            }
        }
        return out;
    }

    /** @return every enhancement entry of every retained cycle of every run, runs oldest first, cycles in order */
    public static List<AgentCycle> all(CycleRunner runner) {
        List<AgentCycle> out = new ArrayList<>();
        for (RunInfo r : runner.runs()) {
            for (CycleSnapshot s : runner.cycles(r.runId(), 0)) {
                out.addAll(of(s));
            }
        }
        return out;
    }

    /** @return the latest retained cycle of the run that has enhancement entries, or empty when none has */
    public static Optional<CycleSnapshot> latestCycle(CycleRunner runner, String runId) {
        List<CycleSnapshot> cycles = runner.cycles(runId, 0);
        for (int i = cycles.size() - 1; i >= 0; i--) {
            if (!of(cycles.get(i)).isEmpty()) {
                return Optional.of(cycles.get(i));
            }
        }
        return Optional.empty();
    }

    /** @return the latest run (by start) with a cycle that has enhancement entries */
    public static Optional<String> latestRun(CycleRunner runner) {
        List<RunInfo> runs = new ArrayList<>(runner.runs());
        runs.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
        for (RunInfo r : runs) {
            if (latestCycle(runner, r.runId()).isPresent()) {
                return Optional.of(r.runId());
            }
        }
        return Optional.empty();
    }
}
