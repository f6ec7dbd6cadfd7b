package io.harmonix.autonomy.internal.controller;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Target;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The enhancement agents' scans SENSE needs: for a repository's current commit, one completed cycle of each wanted
 * agent type ({@code security} and {@code quality} by default) on exactly that commit. A scan of that commit found
 * among the runner's runs is used as it is (the code has not changed since); for the types without one, a scan is
 * started (one cycle of one instance per type, as {@code enhance:scan} picks it) and waited for. The findings are
 * read back from the federated index, the durable record, and from the runner's retained cycles when the index does
 * not hold the run (an index-less runtime).
 */
final class Scans {
    /** One agent's findings on the commit. */
    record AgentFindings(String agentId, String runId, CycleFindings findings) {
    }

    /**
     * The scans of one repository's commit.
     *
     * @param started the runs started by this SENSE (empty when earlier scans served)
     */
    record Scan(String repo, String commit, List<AgentFindings> findings, List<String> started) {
    }

    /** How many of the runner's newest runs are searched for a scan of the commit. */
    static final int SEARCHED = 100;

    private final Supplier<CycleRunner> runner;
    private final Supplier<CycleIndex> index;
    private final Supplier<List<String>> wanted;
    private final Supplier<Duration> timeout;

    Scans(Supplier<CycleRunner> runner, Supplier<CycleIndex> index, Supplier<List<String>> types,
            Supplier<Duration> timeout) {
        this.runner = runner;
        this.index = index;
        this.wanted = types;
        this.timeout = timeout;
    }

    /** @return the repository's scans at {@code commit}, or null when there is no runner (a note says so) */
    Scan ensure(String repo, Path root, String commit, List<String> notes) throws InterruptedException {
        CycleRunner r = runner.get();
        if (r == null) {
            notes.add(repo + ": no cycle runner: not scanned");
            return null;
        }
        List<String> types = wanted.get();
        String target = root.toAbsolutePath().normalize().toString();
        Map<String, AgentFindings> found = new LinkedHashMap<>();
        List<RunInfo> runs = new ArrayList<>(r.runs());
        runs.sort(Comparator.comparing(RunInfo::startedAt).reversed());
        for (RunInfo run : runs.subList(0, Math.min(SEARCHED, runs.size()))) {
            if (run.state() == RunState.COMPLETED) {
                for (AgentFindings a : read(r, run.runId(), target, commit)) {
                    found.putIfAbsent(a.findings().agentType(), a);
                }
            }
            if (found.keySet().containsAll(types)) {
                break;
            }
        }
        List<String> missing = types.stream().filter(t -> !found.containsKey(t)).toList();
        List<String> started = new ArrayList<>();
        if (!missing.isEmpty()) {
            List<String> ids = pick(r, missing, repo, notes);
            if (!ids.isEmpty()) {
                ObjectNode inputs = JsonNodeFactory.instance.objectNode();
                inputs.put(Target.INPUT_TARGET, target);
                RunInfo run = r.start(new RunRequest(null, ids, 1, Duration.ZERO, null, inputs));
                started.add(run.runId());
                RunInfo done = r.await(run.runId(), timeout.get());
                if (done.state() != RunState.COMPLETED) {
                    notes.add(repo + ": scan " + run.runId() + " of " + commit.substring(0, 12) + " did not complete ("
                            + done.state().name().toLowerCase(java.util.Locale.ROOT)
                            + (done.message() == null ? "" : ": " + done.message()) + ")");
                }
                for (AgentFindings a : read(r, run.runId(), target, commit)) {
                    found.putIfAbsent(a.findings().agentType(), a);
                }
            }
        }
        for (String t : types) {
            if (!found.containsKey(t) && missing.contains(t)) {
                notes.add(repo + ": no " + t + " findings for " + commit.substring(0, 12));
            }
        }
        return new Scan(repo, commit, List.copyOf(found.values()), started);
    }

    /** @return one agent id per type, as enhance:scan picks: the instance named as its type, else the lowest id */
    private static List<String> pick(CycleRunner r, List<String> wanted, String repo, List<String> notes) {
        TreeSet<String> ids = new TreeSet<>();
        for (String type : wanted) {
            Optional<String> id = r.agents().stream().filter(a -> type.equals(a.agentType())).map(AgentInfo::agentId)
                    .min(Comparator.comparing((String a) -> !a.equals(type)).thenComparing(a -> a));
            if (id.isPresent()) {
                ids.add(id.get());
            } else {
                notes.add(repo + ": no " + type + " agent present: not scanned by one");
            }
        }
        return new ArrayList<>(ids);
    }

    /** @return the enhancement entries of the run's cycles on that target and commit, from the index if it has them */
    private List<AgentFindings> read(CycleRunner r, String runId, String target, String commit) {
        List<CycleSnapshot> snapshots = new ArrayList<>();
        CycleIndex i = index.get();
        if (i != null) {
            try {
                i.list(i.localNamespace(), runId, 0, 1000).stream().map(IndexedCycle::snapshot)
                        .forEach(snapshots::add);
            } catch (IOException | RuntimeException e) {
                snapshots.clear(); // the runner's own record below
            }
        }
        if (snapshots.isEmpty()) {
            try {
                snapshots.addAll(r.cycles(runId, 0));
            } catch (IllegalArgumentException e) {
                return List.of();
            }
        }
        List<AgentFindings> out = new ArrayList<>();
        for (int k = snapshots.size() - 1; k >= 0; k--) {
            for (AgentEntry e : snapshots.get(k).agents()) {
                if (e.status() != AgentStatus.OK) {
                    continue;
                }
                FindingCycle.read(e.outputs()).filter(f -> f.target().equals(target) && f.commit().equals(commit)
                        && !f.partial()).ifPresent(f -> out.add(new AgentFindings(e.agentId(), runId, f)));
            }
        }
        return out;
    }
}
