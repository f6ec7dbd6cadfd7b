package io.harmonix.console.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs and their cycles as the API gives them, from the runner's own record. */
final class RunsApi {
    private final CycleRunner runner;

    RunsApi(CycleRunner runner) {
        this.runner = runner;
    }

    /** @return a page of the runs, newest first */
    Page.Of<RunInfo> runs(Page page) {
        List<RunInfo> all = new ArrayList<>(runner.runs());
        all.sort(Comparator.comparing(RunInfo::startedAt).reversed());
        return page.slice(all);
    }

    RunInfo run(String runId) {
        return runner.run(runId).orElseThrow(() -> ApiException.notFound("no run '" + runId + "'"));
    }

    /** @return a page of the run's retained cycles, newest first, each in short (agents' outputs left out) */
    Page.Of<Map<String, Object>> cycles(String runId, Page page) {
        run(runId);
        List<CycleSnapshot> all = runner.cycles(runId, 0);
        List<Map<String, Object>> rows = new ArrayList<>();
        int from = Math.max(0, all.size() - page.offset() - page.limit());
        int to = Math.max(0, all.size() - page.offset());
        for (int i = to - 1; i >= from; i--) {
            rows.add(cycleRow(all.get(i)));
        }
        return new Page.Of<>(rows, all.size(), page.limit(), page.offset());
    }

    /** @return one retained cycle whole, outputs included */
    CycleSnapshot cycle(String runId, String number) {
        run(runId);
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cycle '" + number + "': expected a cycle number");
        }
        return runner.cycles(runId, n - 1).stream().filter(c -> c.cycle() == n).findFirst()
                .orElseThrow(() -> ApiException.notFound("run '" + runId + "' has no retained cycle " + n));
    }

    static Map<String, Object> cycleRow(CycleSnapshot c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycle", c.cycle());
        m.put("cycleId", c.cycleId());
        m.put("startedAt", c.startedAt());
        m.put("endedAt", c.endedAt());
        m.put("status", c.status());
        List<Map<String, Object>> agents = new ArrayList<>();
        for (AgentEntry a : c.agents()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("agentId", a.agentId());
            e.put("status", a.status());
            e.put("durationMillis", a.durationMillis());
            e.put("error", a.error());
            agents.add(e);
        }
        m.put("agents", agents);
        return m;
    }
}
