package io.harmonix.state.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.StateMigrationException;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.StandardOptions;
import io.harmonix.shell.api.Table;
import io.harmonix.state.api.StateAdmin;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code state:} commands. */
@Component(service = StateCommands.class, property = {
    "osgi.command.scope=state",
    "osgi.command.function=list",
    "osgi.command.function=show",
    "osgi.command.function=history",
    "osgi.command.function=migrate"})
public class StateCommands {
    @Reference
    private StateAdmin states;

    @Descriptor("list the stored agent states by run and agent (state:list --help)")
    public void list(String... args) throws Exception {
        CommandLines.run(new ListCommand(states, System.out), System.out, args);
    }

    @Descriptor("show an agent's state in a run (state:show --help)")
    public void show(String... args) throws Exception {
        CommandLines.run(new ShowCommand(states, System.out), System.out, args);
    }

    @Descriptor("list an agent's saved states in a run, newest first (state:history --help)")
    public void history(String... args) throws Exception {
        CommandLines.run(new HistoryCommand(states, System.out), System.out, args);
    }

    @Descriptor("bring stored states to their agents' current versions (state:migrate --help)")
    public void migrate(String... args) throws Exception {
        CommandLines.run(new MigrateCommand(states, System.out), System.out, args);
    }

    abstract static class StateCommand implements Callable<Object> {
        final StateAdmin states;
        final PrintStream out;

        @Mixin
        StandardOptions options;

        StateCommand(StateAdmin states, PrintStream out) {
            this.states = states;
            this.out = out;
        }
    }

    static ObjectNode json(StoredState s, boolean withPayload) {
        ObjectNode o = Json.object();
        o.put("agentId", s.agentId());
        o.put("runId", s.runId());
        o.put("cycle", s.cycle());
        o.put("stateVersion", s.stateVersion());
        o.put("savedAt", s.savedAt().toString());
        if (withPayload) {
            o.set("state", s.payload());
        }
        return o;
    }

    @Command(name = "state:list", description = "Lists, per run and agent, the latest stored state: its cycle, "
            + "version and how many states are kept.")
    static final class ListCommand extends StateCommand {
        @Option(names = {"-r", "--run"}, paramLabel = "RUN", description = "Only this run.")
        String run;

        ListCommand(StateAdmin states, PrintStream out) {
            super(states, out);
        }

        @Override
        public Object call() throws Exception {
            Map<String, List<StoredState>> byKey = new LinkedHashMap<>();
            for (StoredState s : states.allRaw()) {
                if (run == null || run.equals(s.runId())) {
                    byKey.computeIfAbsent(s.runId() + "\u0000" + s.agentId(), k -> new ArrayList<>()).add(s);
                }
            }
            if (options.json) {
                ArrayNode a = Json.array();
                byKey.values().forEach(l -> a.add(json(l.get(l.size() - 1), false).put("states", l.size())));
                out.println(Json.pretty(a));
            } else if (byKey.isEmpty()) {
                out.println("no stored states");
            } else {
                Table t = new Table("RUN", "AGENT", "LATEST-CYCLE", "VERSION", "STATES", "SAVED");
                byKey.values().forEach(l -> {
                    StoredState last = l.get(l.size() - 1);
                    t.row(last.runId(), last.agentId(), last.cycle(), last.stateVersion(), l.size(),
                            last.savedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                });
                out.print(t);
            }
            return null;
        }
    }

    @Command(name = "state:show", description = "Shows an agent's state in a run: the latest, or the one of a "
            + "cycle. Older versions are shown migrated to the agent's current version.")
    static final class ShowCommand extends StateCommand {
        @Parameters(index = "0", paramLabel = "AGENT")
        String agentId;

        @Parameters(index = "1", paramLabel = "RUN")
        String runId;

        @Parameters(index = "2", paramLabel = "CYCLE", arity = "0..1", description = "Default: the latest.")
        Long cycle;

        ShowCommand(StateAdmin states, PrintStream out) {
            super(states, out);
        }

        @Override
        public Object call() throws Exception {
            Optional<StoredState> s = cycle == null ? states.latest(agentId, runId)
                    : states.loadState(agentId, runId, cycle);
            StoredState state = s.orElseThrow(() -> new IllegalArgumentException("state:show: no state of agent '"
                    + agentId + "' in run '" + runId + "'" + (cycle == null ? "" : " at cycle " + cycle)
                    + "; state:list shows what is stored"));
            if (options.json) {
                out.println(Json.pretty(json(state, true)));
            } else {
                out.println("agent " + state.agentId() + ", run " + state.runId() + ", cycle " + state.cycle()
                        + ", state version " + state.stateVersion() + ", saved " + state.savedAt());
                out.println(Json.pretty(state.payload()));
            }
            return null;
        }
    }

    @Command(name = "state:history", description = "Lists an agent's saved states in a run, newest first.")
    static final class HistoryCommand extends StateCommand {
        @Parameters(index = "0", paramLabel = "AGENT")
        String agentId;

        @Parameters(index = "1", paramLabel = "RUN")
        String runId;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many (default: ${DEFAULT-VALUE}).")
        int offset;

        @Option(names = "--limit", defaultValue = "20", description = "Show this many (default: ${DEFAULT-VALUE}).")
        int limit;

        HistoryCommand(StateAdmin states, PrintStream out) {
            super(states, out);
        }

        @Override
        public Object call() throws Exception {
            if (offset < 0 || limit < 1) {
                throw new IllegalArgumentException("state:history: --offset must be 0 or more and --limit 1 or "
                        + "more; were " + offset + " and " + limit);
            }
            List<StoredState> page = states.history(agentId, runId, offset, limit);
            if (options.json) {
                ArrayNode a = Json.array();
                page.forEach(s -> a.add(json(s, true)));
                out.println(Json.pretty(a));
            } else if (page.isEmpty()) {
                out.println("no states of agent '" + agentId + "' in run '" + runId + "'");
            } else {
                Table t = new Table("CYCLE", "VERSION", "DIGEST", "SAVED");
                page.forEach(s -> t.row(s.cycle(), s.stateVersion(),
                        io.harmonix.cycle.api.CycleSnapshots.digest(s.payload()).substring(0, 12),
                        s.savedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
                out.print(t);
            }
            return null;
        }
    }

    @Command(name = "state:migrate", description = "Brings every stored state older than its agent's current "
            + "state version to that version (agents must be present). All or nothing: when one state cannot be "
            + "migrated, none is rewritten.")
    static final class MigrateCommand extends StateCommand {
        @Option(names = "--dry-run", description = "Only report what would be migrated, and what would fail.")
        boolean dryRun;

        MigrateCommand(StateAdmin states, PrintStream out) {
            super(states, out);
        }

        @Override
        public Object call() throws Exception {
            List<StoredState> migrated = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            Map<String, int[]> perAgent = new LinkedHashMap<>();
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
                    perAgent.computeIfAbsent(s.agentId() + " v" + s.stateVersion() + " -> v" + m.stateVersion(),
                            k -> new int[1])[0]++;
                }
            }
            boolean rewrite = !dryRun && failures.isEmpty() && !migrated.isEmpty();
            if (rewrite) {
                states.rewrite(migrated);
            }
            if (options.json) {
                ObjectNode o = Json.object();
                o.put("dryRun", dryRun);
                o.put("rewritten", rewrite ? migrated.size() : 0);
                ObjectNode counts = o.putObject("migrations");
                perAgent.forEach((k, v) -> counts.put(k, v[0]));
                ArrayNode f = o.putArray("failures");
                failures.forEach(f::add);
                out.println(Json.pretty(o));
            } else {
                if (perAgent.isEmpty() && failures.isEmpty()) {
                    out.println("every stored state is at its agent's current version");
                }
                perAgent.forEach((k, v) -> out.println(k + ": " + v[0] + " state(s)"
                        + (rewrite ? " migrated" : " to migrate")));
                failures.forEach(f -> out.println("cannot migrate: " + f));
                if (dryRun) {
                    out.println("dry run: nothing was rewritten");
                }
            }
            if (!failures.isEmpty() && !dryRun) {
                throw new IllegalStateException("state:migrate: " + failures.size() + " state(s) cannot be migrated; "
                        + "nothing was rewritten");
            }
            return null;
        }
    }
}
