package io.harmonix.enhance.internal.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.internal.EnhancementAgents;
import io.harmonix.enhance.internal.FindingRow;
import io.harmonix.enhance.internal.RecordedFindings;
import io.harmonix.enhance.internal.RecordedFindings.AgentCycle;
import io.harmonix.enhance.internal.sarif.SarifWriter;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code enhance:findings} and {@code enhance:rules}: recorded findings, listed or exported, and agents' rules. */
@Component
@CommandScope("enhance")
public final class FindingCommands implements ShellCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference
    private CycleRunner runner;
    @Reference
    private EnhancementAgents agents;

    @Command(name = "findings", header = "list or export the findings of a recorded scan", description = "Lists "
            + "the findings of the latest cycle of a run that has enhancement agents' findings (default: the "
            + "latest such run), grouped by file, with each agent's summary; or writes them as SARIF 2.1.0.",
            sortOptions = false)
    public CommandResult findings(
            @Option(names = {"-r", "--run"}, paramLabel = "RUN", description = "The run (default: the latest with "
                    + "enhancement findings).") String runId,
            @Option(names = {"-a", "--agent"}, paramLabel = "AGENT", description = "Only this agent's (an id or a "
                    + "type).") String agent,
            @Option(names = {"-s", "--status"}, paramLabel = "STATUS", description = "Only new, persisting or "
                    + "fixed ones.") FindingStatus status,
            @Option(names = "--severity", paramLabel = "SEVERITY", description = "Only those at or above: info, "
                    + "low, medium, high, critical.") Severity severity,
            @Option(names = "--sarif", paramLabel = "FILE", description = "Write them to FILE as SARIF 2.1.0 "
                    + "(relative to the current directory); with --json, what was written is said in JSON.")
            Path sarif) throws IOException {
        String run = runId != null ? known(runId) : RecordedFindings.latestRun(runner).orElse(null);
        if (run == null) {
            return CommandResult.of("no recorded enhancement findings: enhance:scan --target PATH makes some",
                    Json.array());
        }
        CycleSnapshot cycle = RecordedFindings.latestCycle(runner, run).orElseThrow(() ->
                new IllegalArgumentException("enhance:findings: run '" + run + "' has no retained cycle with "
                        + "enhancement agents' findings"));
        List<AgentCycle> cycles = RecordedFindings.of(cycle).stream()
                .filter(c -> agent == null || agent.equals(c.agentId()) || agent.equals(c.findings().agentType()))
                .toList();
        if (agent != null && cycles.isEmpty()) {
            throw new IllegalArgumentException("enhance:findings: no agent '" + agent + "' in cycle "
                    + cycle.cycleId() + "; its agents: " + String.join(", ", RecordedFindings.of(cycle).stream()
                    .map(AgentCycle::agentId).toList()));
        }
        List<FindingRow> rows = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        List<SarifWriter.AgentRun> sarifRuns = new ArrayList<>();
        List<String> noRules = new ArrayList<>();
        for (AgentCycle c : cycles) {
            List<FindingRow> mine = FindingRow.of(c).stream()
                    .filter(r -> status == null || r.status() == status)
                    .filter(r -> severity == null || r.finding().severity().atLeast(severity)).toList();
            rows.addAll(mine);
            summaries.add(FindingViews.summary(c));
            sarifRuns.add(sarifRun(c, mine, noRules));
        }
        if (sarif != null) {
            Path file = Path.of("").toAbsolutePath().resolve(sarif).normalize();
            SarifWriter.write(file, sarifRuns);
            return CommandResult.of("wrote " + rows.size() + " finding(s) of " + sarifRuns.size()
                    + " agent(s), run " + run + " cycle " + cycle.cycle() + ", to " + file + " (SARIF 2.1.0)"
                    + noRules.stream().map(n -> "\n" + n).collect(java.util.stream.Collectors.joining()),
                    Json.object().put("sarif", file.toString()).put("runId", run).put("cycle", cycle.cycle())
                            .put("findings", rows.size()).put("agents", sarifRuns.size()));
        }
        ArrayNode array = Json.array();
        rows.forEach(r -> array.add(FindingViews.json(r)));
        return CommandResult.of("run " + run + " cycle " + cycle.cycle() + "\n" + FindingViews.byFile(rows)
                + String.join("\n", summaries), array);
    }

    private SarifWriter.AgentRun sarifRun(AgentCycle c, List<FindingRow> rows, List<String> noRules) {
        // the rules and version of the instance that made the cycle, when it is still present; else of its type's
        Optional<EnhancementAgents.Present> present = Optional.ofNullable(agents.all().get(c.agentId()))
                .or(() -> agents.forType(c.findings().agentType()));
        List<Rule> rules;
        try {
            rules = present.map(p -> p.agent().rules()).orElse(List.of());
        } catch (RuntimeException e) {
            // its configuration is refused now (a gitleaks file gone, say): its findings of that cycle still go out,
            // without the rules' descriptions, and the answer says why
            rules = List.of();
            noRules.add(c.agentId() + ": its rules left out (" + e.getMessage() + ")");
        }
        String version = present.map(EnhancementAgents.Present::version).orElse("0.0.0");
        return new SarifWriter.AgentRun(c.agentId(), c.findings().agentType(), version, rules, c.runId(), c.cycle(),
                c.findings(), rows);
    }

    private String known(String runId) {
        if (runner.run(runId).isEmpty()) {
            throw new IllegalArgumentException("enhance:findings: unknown run '" + runId + "'; cycle:runs lists "
                    + "the runs");
        }
        return runId;
    }

    @Command(name = "rules", header = "list the rules of an enhancement agent", description = "Lists the rules an "
            + "enhancement agent applies, with their configured severities.")
    public CommandResult rules(@Parameters(index = "0", paramLabel = "AGENT", description = "An agent id, or a "
            + "type (its instance whose id is the type, else the lowest id).") String agent) {
        EnhancementAgents.Present p = agents.byIdOrType(agent).orElseThrow(() -> new IllegalArgumentException(
                "enhance:rules: no enhancement agent '" + agent + "'; present: " + agents.describe()));
        Table t = new Table("RULE", "SEVERITY", "NAME", "DESCRIPTION").ifEmpty(p.id() + " has no rules");
        return CommandResult.listing(t, p.agent().rules(), (table, r) -> table.row(r.id(), r.severity().id(),
                r.name(), r.description()), r -> (ObjectNode) JSON.valueToTree(r));
    }
}
