package io.harmonix.console.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The enhancement agents' findings as they stand: for each agent of each run, the findings of its latest cycle
 * (new or persisting) among the run's last {@value #WINDOW}, newest run first, a finding found by several runs shown
 * once (its newest). The window bounds what is read of a long run: an agent whose findings are older than that in
 * its run is not shown (its run's cycles are, on the run's page and API).
 */
final class FindingsApi {
    /** A finding with where it was seen. */
    record Row(String fingerprint, String runId, long cycle, String agentId, String status, Finding finding,
            String commit) {
    }

    static final int WINDOW = 50;
    private final CycleRunner runner;
    private final RunsApi cycles;

    FindingsApi(CycleRunner runner, RunsApi cycles) {
        this.runner = runner;
        this.cycles = cycles;
    }

    List<Row> all() {
        List<RunInfo> runs = new ArrayList<>(runner.runs());
        runs.sort(Comparator.comparing(RunInfo::startedAt).reversed());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RunInfo r : runs) {
            Map<String, Boolean> agentsSeen = new LinkedHashMap<>();
            List<CycleSnapshot> window = cycles.tail(r, WINDOW);
            for (int i = window.size() - 1; i >= 0; i--) {
                CycleSnapshot c = window.get(i);
                for (AgentEntry e : c.agents()) {
                    if (e.status() != AgentStatus.OK || agentsSeen.containsKey(e.agentId())) {
                        continue;
                    }
                    Optional<CycleFindings> f = FindingCycle.read(e.outputs());
                    if (f.isPresent()) {
                        agentsSeen.put(e.agentId(), true);
                        for (TrackedFinding t : f.get().findings()) {
                            rows.putIfAbsent(t.finding().fingerprint(), new Row(t.finding().fingerprint(),
                                    r.runId(), c.cycle(), e.agentId(), t.status().name().toLowerCase(
                                            java.util.Locale.ROOT), t.finding(), f.get().commit()));
                        }
                    }
                }
            }
        }
        return new ArrayList<>(rows.values());
    }

    Page.Of<Row> page(Page page) {
        return page.slice(all());
    }

    Row one(String fingerprint) {
        return all().stream().filter(r -> r.fingerprint().equals(fingerprint)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no finding '" + fingerprint + "'"));
    }
}
