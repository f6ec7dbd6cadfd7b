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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The enhancement agents' findings as they stand: for each agent of each run, the findings of its latest cycle that
 * has them (new or persisting), newest run first, a finding found by several runs shown once (its newest).
 *
 * <p>What a request reads is bounded by what it answers, never by how much is held: runs are read newest first and
 * only until the page is full (one finding more, to tell whether there are more); of each run its last cycle, and
 * older ones (at most {@value #WINDOW} in all) only for its agents whose last cycle did not succeed; at most
 * {@value #RUNS} runs a request (a finding only in older runs is on its run's page, or asked with {@code ?run=ID},
 * which reads that run alone).
 */
final class FindingsApi {
    /** A finding with where it was seen. */
    record Row(String fingerprint, String runId, long cycle, String agentId, String status, Finding finding,
            String commit) {
    }

    /**
     * A page whose total is not known (counting it would read everything): {@code more} tells whether a next page
     * has findings; {@code runsRead} how many runs were read for it.
     */
    record Of(List<Row> items, int limit, int offset, boolean more, int runsRead) {
    }

    static final int WINDOW = 50;
    static final int RUNS = 200;
    private final CycleRunner runner;
    private final RunsApi cycles;

    FindingsApi(CycleRunner runner, RunsApi cycles) {
        this.runner = runner;
        this.cycles = cycles;
    }

    /** @param runId the one run to read, or null for the newest runs */
    Of page(Page page, String runId) {
        Map<String, Row> rows = new LinkedHashMap<>();
        int wanted = page.offset() + page.limit() + 1;
        int read = scan(runId, rows, r -> rows.size() >= wanted);
        List<Row> all = new ArrayList<>(rows.values());
        int from = Math.min(page.offset(), all.size());
        int to = Math.min(page.offset() + page.limit(), all.size());
        return new Of(List.copyOf(all.subList(from, to)), page.limit(), page.offset(), all.size() > to, read);
    }

    /** @param runId the run it was seen in, when known (then only that run is read), else null */
    Row one(String fingerprint, String runId) {
        Map<String, Row> rows = new LinkedHashMap<>();
        scan(runId, rows, r -> r.fingerprint().equals(fingerprint));
        Row row = rows.get(fingerprint);
        if (row == null) {
            throw ApiException.notFound("no finding '" + fingerprint + "'" + (runId != null ? " in run '" + runId
                    + "'" : " in the newest " + RUNS + " runs (give its run with ?run=ID)"));
        }
        return row;
    }

    /**
     * Reads runs newest first into {@code rows} until {@code enough} holds after a run.
     *
     * @return how many runs were read
     */
    private int scan(String runId, Map<String, Row> rows, Predicate<Row> enough) {
        List<RunInfo> runs;
        if (runId != null) {
            runs = List.of(cycles.run(runId));
        } else {
            runs = new ArrayList<>(runner.runs());
            runs.sort(Comparator.comparing(RunInfo::startedAt).reversed());
        }
        int read = 0;
        for (RunInfo r : runs) {
            if (read == RUNS) {
                break;
            }
            read++;
            for (Row row : run(r)) {
                rows.putIfAbsent(row.fingerprint(), row);
                if (enough.test(row)) {
                    return read;
                }
            }
        }
        return read;
    }

    /**
     * One run's findings: its last cycle first; the earlier cycles of its window only when an agent of the last one
     * did not succeed (its findings are then those of its latest cycle that did). An agent that succeeded without
     * findings outputs is no enhancement agent: nothing more is read for it.
     */
    private List<Row> run(RunInfo r) {
        List<Row> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        List<CycleSnapshot> last = cycles.tail(r, 1);
        boolean failedAgent = false;
        for (CycleSnapshot c : last) {
            failedAgent = collect(r, c, done, out);
        }
        if (failedAgent) {
            List<CycleSnapshot> window = cycles.tail(r, WINDOW);
            for (int i = window.size() - 2; i >= 0; i--) { // the last one is read already
                collect(r, window.get(i), done, out);
            }
        }
        return out;
    }

    /** @return whether an agent of the cycle not yet done did not succeed in it */
    private static boolean collect(RunInfo r, CycleSnapshot c, Set<String> done, List<Row> out) {
        boolean failed = false;
        for (AgentEntry e : c.agents()) {
            if (done.contains(e.agentId())) {
                continue;
            }
            if (e.status() != AgentStatus.OK) {
                failed = true;
                continue;
            }
            done.add(e.agentId());
            Optional<CycleFindings> f = FindingCycle.read(e.outputs());
            if (f.isPresent()) {
                for (TrackedFinding t : f.get().findings()) {
                    out.add(new Row(t.finding().fingerprint(), r.runId(), c.cycle(), e.agentId(),
                            t.status().name().toLowerCase(Locale.ROOT), t.finding(), f.get().commit()));
                }
            }
        }
        return failed;
    }
}
