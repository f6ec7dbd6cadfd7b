package io.harmonix.state.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.StateMigrationException;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import io.harmonix.state.api.StateAdmin;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code state:} commands: the agents' stored states, by run, and their migration. */
@Component
@CommandScope("state")
public final class StateCommands implements ShellCommands {
    @Reference
    private StateAdmin states;

    @Command(name = "list", header = "list the stored agent states by run and agent", description = "Lists, per "
            + "run and agent, the latest stored state: its cycle, version and how many states are kept.")
    public CommandResult list(@Option(names = {"-r", "--run"}, paramLabel = "RUN", description = "Only this run.")
            String run) throws Exception {
        Map<String, List<StoredState>> byKey = new LinkedHashMap<>();
        for (StoredState s : states.allRaw()) {
            if (run == null || run.equals(s.runId())) {
                byKey.computeIfAbsent(s.runId() + "\u0000" + s.agentId(), k -> new ArrayList<>()).add(s);
            }
        }
        Table t = new Table("RUN", "AGENT", "LATEST-CYCLE", "VERSION", "STATES", "SAVED").ifEmpty("no stored states");
        // one row per run and agent: its latest state, and how many are kept
        return CommandResult.listing(t, byKey.values(), (table, kept) -> {
            StoredState last = kept.get(kept.size() - 1);
            table.row(last.runId(), last.agentId(), last.cycle(), last.stateVersion(), kept.size(),
                    last.savedAt().truncatedTo(ChronoUnit.SECONDS));
        }, kept -> StateViews.json(kept.get(kept.size() - 1), false).put("states", kept.size()));
    }

    @Command(name = "show", header = "show an agent's state in a run", description = "Shows an agent's state in a "
            + "run: the latest, or the one of a cycle. Older versions are shown migrated to the agent's current "
            + "version.")
    public CommandResult show(
            @Parameters(index = "0", paramLabel = "AGENT") String agentId,
            @Parameters(index = "1", paramLabel = "RUN") String runId,
            @Parameters(index = "2", paramLabel = "CYCLE", arity = "0..1", description = "Default: the latest.")
            Long cycle) throws Exception {
        Optional<StoredState> s = cycle == null ? states.latest(agentId, runId)
                : states.loadState(agentId, runId, cycle);
        StoredState state = s.orElseThrow(() -> new IllegalArgumentException("state:show: no state of agent '"
                + agentId + "' in run '" + runId + "'" + (cycle == null ? "" : " at cycle " + cycle)
                + "; state:list shows what is stored"));
        return CommandResult.of("agent " + state.agentId() + ", run " + state.runId() + ", cycle " + state.cycle()
                + ", state version " + state.stateVersion() + ", saved " + state.savedAt() + "\n"
                + Json.pretty(state.payload()), StateViews.json(state, true));
    }

    @Command(name = "history", header = "list an agent's saved states in a run, newest first",
            description = "Lists an agent's saved states in a run, newest first.")
    public CommandResult history(
            @Parameters(index = "0", paramLabel = "AGENT") String agentId,
            @Parameters(index = "1", paramLabel = "RUN") String runId,
            // the labels the fields' names gave; a method parameter's name is not in the class file
            @Option(names = "--offset", defaultValue = "0", description = "Skip this many "
                    + "(default: ${DEFAULT-VALUE}).") int offset,
            @Option(names = "--limit", defaultValue = "20", description = "Show this many "
                    + "(default: ${DEFAULT-VALUE}).") int limit) throws Exception {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("state:history: --offset must be 0 or more and --limit 1 or "
                    + "more; were " + offset + " and " + limit);
        }
        Table t = new Table("CYCLE", "VERSION", "DIGEST", "SAVED")
                .ifEmpty("no states of agent '" + agentId + "' in run '" + runId + "'");
        return CommandResult.listing(t, states.history(agentId, runId, offset, limit),
                (table, s) -> table.row(s.cycle(), s.stateVersion(),
                        CycleSnapshots.digest(s.payload()).substring(0, 12), s.savedAt().truncatedTo(ChronoUnit.MILLIS)),
                s -> StateViews.json(s, true));
    }

    @Command(name = "migrate", header = "bring stored states to their agents' current versions", description = "Brings "
            + "every stored state older than its agent's current state version to that version (agents must be "
            + "present). All or nothing: when one state cannot be migrated, none is rewritten.")
    public CommandResult migrate(@Option(names = "--dry-run", description = "Only report what would be migrated, "
            + "and what would fail.") boolean dryRun) throws Exception {
        List<StoredState> migrated = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> perStep = new LinkedHashMap<>();
        for (StoredState s : states.allRaw()) {
            StoredState m;
            try {
                m = states.migrated(s);
            } catch (StateMigrationException e) {
                failures.add(e.getMessage());
                continue;
            }
            if (m.stateVersion() != s.stateVersion()) {
                migrated.add(m);
                perStep.merge(s.agentId() + " v" + s.stateVersion() + " -> v" + m.stateVersion(), 1, Integer::sum);
            }
        }
        boolean rewrite = !dryRun && failures.isEmpty() && !migrated.isEmpty();
        if (rewrite) {
            states.rewrite(migrated);
        }
        ObjectNode json = Json.object().put("dryRun", dryRun).put("rewritten", rewrite ? migrated.size() : 0);
        ObjectNode counts = json.putObject("migrations");
        perStep.forEach(counts::put);
        failures.forEach(json.putArray("failures")::add);
        StringBuilder text = new StringBuilder();
        if (perStep.isEmpty() && failures.isEmpty()) {
            text.append("every stored state is at its agent's current version\n");
        }
        perStep.forEach((step, n) -> text.append(step).append(": ").append(n).append(" state(s)")
                .append(rewrite ? " migrated" : " to migrate").append('\n'));
        failures.forEach(f -> text.append("cannot migrate: ").append(f).append('\n'));
        if (dryRun) {
            text.append("dry run: nothing was rewritten\n");
        }
        CommandResult result = CommandResult.of(text.toString(), json);
        return failures.isEmpty() || dryRun ? result : result.failingWith(new IllegalStateException("state:migrate: "
                + failures.size() + " state(s) cannot be migrated; nothing was rewritten"));
    }
}
