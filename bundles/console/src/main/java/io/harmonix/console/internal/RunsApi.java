package io.harmonix.console.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.state.api.RunJournal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs and their cycles as the API gives them, from the runner's own record: the run journal when there is one
 * (it reads a bounded number of cycles), else the runner's retained cycles (in memory, at most its history size).
 */
final class RunsApi {
    private final CycleRunner runner;
    private final RunJournal journal;

    /** @param journal the run journal, or null when runs are not journaled (or it is restarting) */
    RunsApi(CycleRunner runner, RunJournal journal) {
        this.runner = runner;
        this.journal = journal;
    }

    /** @return at most {@code limit} cycles of the run after cycle {@code after}, in order */
    List<CycleSnapshot> read(String runId, long after, int limit) {
        if (journal != null) {
            try {
                List<CycleSnapshot> kept = journal.cycles(runId, after, limit);
                if (!kept.isEmpty()) {
                    return kept;
                }
            } catch (IOException e) {
                throw new ApiException(503, "the cycles of run '" + runId + "' cannot be read now: "
                        + e.getMessage());
            }
        }
        List<CycleSnapshot> retained = runner.cycles(runId, after);
        return retained.size() <= limit ? retained : retained.subList(0, limit);
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

    /**
     * @return a page of the run's cycles, newest first, each in short (agents' outputs left out). Only the page's
     *     cycles are read, from {@code last - offset - limit} on, whatever the run's length (100 000 cycles read
     *     whole would take seconds and the memory of them all)
     */
    Page.Of<Map<String, Object>> cycles(String runId, Page page) {
        RunInfo run = run(runId);
        long last = run.lastCycle();
        long newestWanted = last - page.offset();
        List<CycleSnapshot> tail = read(runId, Math.max(0, newestWanted - page.limit()), page.limit());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = tail.size() - 1; i >= 0 && rows.size() < page.limit(); i--) {
            if (tail.get(i).cycle() <= newestWanted) {
                rows.add(cycleRow(tail.get(i)));
            }
        }
        return new Page.Of<>(rows, run.completedCycles(), page.limit(), page.offset());
    }

    /** @return the last {@code n} cycles the runner has of a run, oldest first */
    List<CycleSnapshot> tail(RunInfo run, int n) {
        return read(run.runId(), Math.max(0, run.lastCycle() - n), n);
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
        return read(runId, n - 1, 1).stream().filter(c -> c.cycle() == n).findFirst()
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
