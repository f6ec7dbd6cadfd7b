package io.harmonix.proposals.model.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.Repository;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The findings without a mechanical fix, as the runner recorded the agents' cycles: in the latest cycle of a run
 * that has enhancement entries, each finding no agent of that cycle proposed a fix for, once per fingerprint (two
 * instances of a wave may report one finding). The runner's record is the one source of findings, as for the
 * {@code enhance:} commands; the repository is the fleet catalogue's entry for the cycle's target, since validation
 * runs its build and test commands.
 */
final class PendingFindings {
    private final CycleRunner runner;
    private final FleetCatalogue fleet;

    PendingFindings(CycleRunner runner, FleetCatalogue fleet) {
        this.runner = runner;
        this.fleet = fleet;
    }

    /**
     * @param waveId the wave the run belongs to (recorded with each enhancement), or null
     * @throws IllegalArgumentException when the run has no enhancement cycle, or its target is not in the catalogue
     */
    List<ModelProposer.Request> ofRun(String runId, String waveId) {
        List<CycleFindings> cycles = latest(runId).orElseThrow(() -> new IllegalArgumentException("run " + runId
                + " has no recorded cycle of an enhancement agent"));
        Map<String, ModelProposer.Request> out = new LinkedHashMap<>();
        for (CycleFindings c : cycles) {
            Repository repo = repository(c.target());
            Set<String> fixed = c.proposals().stream().map(Proposal::fingerprint).collect(Collectors.toSet());
            for (TrackedFinding t : c.findings()) {
                if (!fixed.contains(t.finding().fingerprint())) {
                    out.putIfAbsent(t.finding().fingerprint(),
                            new ModelProposer.Request(waveId, repo, t.finding(), c.commit()));
                }
            }
        }
        // a finding another instance of the same cycle proposed a fix for is not pending either
        Set<String> proposed = cycles.stream().flatMap(c -> c.proposals().stream()).map(Proposal::fingerprint)
                .collect(Collectors.toSet());
        out.keySet().removeAll(proposed);
        return List.copyOf(out.values());
    }

    /**
     * @param waveOfRun the wave of a run id, or null
     * @return the finding of that fingerprint in the latest cycle of the newest run that holds it, when no fix was
     *     proposed for it there
     */
    Optional<ModelProposer.Request> finding(String fingerprint, Function<String, String> waveOfRun) {
        List<RunInfo> runs = new ArrayList<>(runner.runs());
        for (int i = runs.size() - 1; i >= 0; i--) {
            String runId = runs.get(i).runId();
            if (latest(runId).isEmpty()) {
                continue;
            }
            Optional<ModelProposer.Request> found = ofRun(runId, waveOfRun.apply(runId)).stream()
                    .filter(r -> r.finding().fingerprint().equals(fingerprint)).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<List<CycleFindings>> latest(String runId) {
        List<CycleSnapshot> snapshots = runner.cycles(runId, 0);
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            List<CycleFindings> found = new ArrayList<>();
            for (AgentEntry e : snapshots.get(i).agents()) {
                if (e.status() == AgentStatus.OK) {
                    FindingCycle.read(e.outputs()).ifPresent(found::add);
                }
            }
            if (!found.isEmpty()) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    private Repository repository(String target) {
        Path wanted = Path.of(target).toAbsolutePath().normalize();
        return fleet.repositories().stream()
                .filter(r -> Path.of(r.path()).toAbsolutePath().normalize().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("target " + target + " is not in the fleet "
                        + "catalogue (validation runs a repository's build and test commands): repo:discover it"));
    }
}
