package io.harmonix.enhance.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import io.harmonix.enhance.api.TargetException;
import io.harmonix.enhance.internal.EnhancementAgents;
import io.harmonix.enhance.internal.FindingRow;
import io.harmonix.enhance.internal.RecordedFindings;
import io.harmonix.enhance.internal.RecordedFindings.AgentCycle;
import io.harmonix.enhance.internal.ScanProgressBoard;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enhance:scan}: one cycle of enhancement agents on a target, its progress, then its findings. */
@Component
@CommandScope("enhance")
public final class ScanCommands implements ShellCommands {
    /** At most one progress line per agent this often: a long scan shows it moves without flooding the screen. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    @Reference
    private CycleRunner runner;
    @Reference
    private EnhancementAgents agents;
    @Reference
    private ScanProgressBoard progress;

    /** A previous scan this one goes on from. */
    private record Previous(String runId, long cycle, Duration deadline) {
    }

    @Command(name = "scan", header = "scan a git working tree with the enhancement agents", description = "Runs "
            + "one cycle of one instance per agent type on the target (the instance whose id is the type, else the "
            + "lowest id of that type), shows progress, then the findings grouped by file and a summary per agent. "
            + "A scan goes on from the previous completed scan of the same target, components and agents (a fork "
            + "of that run, when runs are journaled), so its findings are new, persisting or fixed since then. "
            + "Fails (non-zero in exec mode) when an agent fails or, with --fail-on, when a finding is at or above "
            + "that severity.", sortOptions = false)
    public CommandResult scan(
            @Option(names = {"-t", "--target"}, required = true, paramLabel = "PATH", description = "The top "
                    + "folder of a git working tree; relative to the current directory.") String target,
            @Option(names = {"-a", "--agents"}, split = ",", paramLabel = "TYPE", description = "Agent types, "
                    + "comma-separated (default: every type present).") List<String> types,
            @Option(names = {"-c", "--components"}, split = ",", paramLabel = "PATH", description = "Sub-folders "
                    + "of the target to analyse, comma-separated (default: all of it).") List<String> components,
            @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "Fail when a finding is at or "
                    + "above this severity: info, low, medium, high, critical.") Severity failOn,
            @Option(names = {"-d", "--deadline"}, paramLabel = "DURATION", description = "How long each agent may "
                    + "take (default: the runner's); an agent that runs out returns what it has, marked partial.")
            Duration deadline,
            @Option(names = "--fresh", description = "Do not go on from the previous scan: every finding is new.")
            boolean fresh) {
        Target checked;
        try {
            checked = Target.open(Path.of("").toAbsolutePath(), target, components == null ? List.of() : components);
        } catch (TargetException e) {
            throw new IllegalArgumentException("enhance:scan: " + e.getMessage());
        }
        List<String> ids = pick(types);
        Optional<Previous> previous = fresh ? Optional.empty() : previous(ids, checked, deadline);
        RunInfo run = null;
        if (previous.isPresent()) {
            try {
                run = runner.fork(previous.get().runId(), previous.get().cycle(), null, 1L);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // runs are not journaled here, or that cycle is no longer there: a scan of its own
                run = null;
            }
        }
        if (run == null) {
            ObjectNode inputs = Json.object();
            inputs.put(Target.INPUT_TARGET, checked.root().toString());
            inputs.put(Target.INPUT_COMPONENTS, String.join(",", checked.components()));
            run = runner.start(new RunRequest(null, ids, 1, Duration.ZERO, deadline, inputs));
        }
        String runId = run.runId();
        return CommandResult.streamed(items -> follow(runId, ids, failOn, items));
    }

    /** @return the agent id of each requested type, sorted */
    private List<String> pick(List<String> types) {
        List<String> wanted = types == null ? agents.types() : types.stream().map(String::trim)
                .filter(s -> !s.isEmpty()).distinct().toList();
        if (wanted.isEmpty()) {
            throw new IllegalStateException("enhance:scan: no enhancement agent is present; deploy an agent bundle "
                    + "(quality, security, ...) and configure it, see docs/agents.md");
        }
        TreeSet<String> ids = new TreeSet<>();
        for (String type : wanted) {
            ids.add(agents.forType(type).orElseThrow(() -> new IllegalArgumentException("enhance:scan: no "
                    + "enhancement agent of type '" + type + "'; present: " + agents.describe())).id());
        }
        return new ArrayList<>(ids);
    }

    /**
     * The latest completed scan of exactly these agents on the same target and components, with the same deadline
     * (a fork keeps its original's), whose every entry is an enhancement cycle.
     */
    private Optional<Previous> previous(List<String> ids, Target target, Duration deadline) {
        List<RunInfo> runs = new ArrayList<>(runner.runs());
        runs.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
        for (RunInfo r : runs) {
            if (r.state() != RunState.COMPLETED || !new TreeSet<>(r.agentIds()).equals(new TreeSet<>(ids))
                    || (deadline != null && !deadline.equals(r.deadline()))) {
                continue;
            }
            Optional<CycleSnapshot> last = runner.cycles(r.runId(), 0).stream().reduce((a, b) -> b);
            if (last.isEmpty()) {
                continue;
            }
            List<AgentCycle> cycles = RecordedFindings.of(last.get());
            boolean same = cycles.size() == ids.size() && cycles.stream().allMatch(c ->
                    c.findings().target().equals(target.root().toString())
                            && c.findings().components().equals(target.components()));
            if (same) {
                return Optional.of(new Previous(r.runId(), last.get().cycle(), r.deadline()));
            }
        }
        return Optional.empty();
    }

    /** Prints progress until the run has ended, then its findings; fails as the scan says. */
    private CommandResult follow(String runId, List<String> ids, Severity failOn, CommandResult.ItemSink items)
            throws InterruptedException {
        Map<String, ScanProgressBoard.Count> shown = new HashMap<>();
        Map<String, Long> shownAt = new HashMap<>();
        try {
            RunInfo r = runner.run(runId).orElseThrow();
            while (!r.state().finished()) {
                long now = System.nanoTime();
                progress.of(runId).forEach((agent, count) -> {
                    Long at = shownAt.get(agent);
                    if (!count.equals(shown.get(agent)) && (at == null || now - at >= PROGRESS_EVERY.toNanos())) {
                        items.item(agent + ": " + count, Json.object().put("agentId", agent)
                                .put("done", count.done()).put("total", count.total()));
                        shown.put(agent, count);
                        shownAt.put(agent, now);
                    }
                });
                runner.await(runId, Duration.ofMillis(200));
                r = runner.run(runId).orElseThrow();
            }
            return result(r, ids, failOn);
        } finally {
            progress.forget(runId);
        }
    }

    private CommandResult result(RunInfo r, List<String> ids, Severity failOn) {
        if (r.state() != RunState.COMPLETED) {
            throw new IllegalStateException("enhance:scan: run " + r.runId() + " " + r.state().name()
                    .toLowerCase(java.util.Locale.ROOT) + (r.message() == null ? "" : ": " + r.message()));
        }
        CycleSnapshot s = runner.cycles(r.runId(), 0).stream().reduce((a, b) -> b).orElseThrow(() ->
                new IllegalStateException("enhance:scan: run " + r.runId() + " completed without a retained cycle"));
        List<FindingRow> rows = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        ObjectNode json = Json.object().put("runId", r.runId()).put("cycle", s.cycle());
        ArrayNode agentsJson = json.putArray("agents");
        Map<String, AgentCycle> byAgent = new HashMap<>();
        RecordedFindings.of(s).forEach(c -> byAgent.put(c.agentId(), c));
        for (String id : ids) {
            AgentEntry e = s.agent(id);
            AgentCycle c = byAgent.get(id);
            if (c != null) {
                rows.addAll(FindingRow.of(c));
                summaries.add(FindingViews.summary(c));
                agentsJson.add(FindingViews.json(c));
            } else {
                String why = e == null ? "did not take part in the cycle" : e.status() != AgentStatus.OK
                        ? e.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.error()
                        : "its outputs are not an enhancement agent's findings";
                failures.add(id + ": " + why);
                summaries.add(id + ": " + why);
                agentsJson.addObject().put("agentId", id).put("error", why);
            }
        }
        ArrayNode findings = json.putArray("findings");
        rows.forEach(row -> findings.add(FindingViews.json(row)));
        String text = "run " + r.runId() + " cycle " + s.cycle() + (r.forkedFrom() == null ? ""
                : " (since " + r.forkedFrom() + ")") + "\n" + FindingViews.byFile(rows) + String.join("\n", summaries);
        CommandResult shown = CommandResult.of(text, json);
        if (!failures.isEmpty()) {
            return shown.failingWith(new IllegalStateException("enhance:scan: " + String.join("; ", failures)));
        }
        if (failOn != null) {
            long above = rows.stream().filter(row -> row.status() != FindingStatus.FIXED
                    && row.finding().severity().atLeast(failOn)).count();
            if (above > 0) {
                return shown.failingWith(new IllegalStateException("enhance:scan: " + above + " finding(s) at or "
                        + "above " + failOn.id() + " (--fail-on " + failOn.id() + ")"));
            }
        }
        return shown;
    }
}
