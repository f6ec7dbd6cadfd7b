package io.harmonix.state.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import io.harmonix.state.api.StateAdmin;
import java.time.temporal.ChronoUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("state:history")
@CommandSummary("list an agent's saved states in a run, newest first")
@Command(description = "Lists an agent's saved states in a run, newest first.")
public final class HistoryCommand implements ShellCommand {
    private final StateAdmin states;

    @Parameters(index = "0", paramLabel = "AGENT")
    String agentId;

    @Parameters(index = "1", paramLabel = "RUN")
    String runId;

    @Option(names = "--offset", defaultValue = "0", description = "Skip this many (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--limit", defaultValue = "20", description = "Show this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Activate
    public HistoryCommand(@Reference StateAdmin states) {
        this.states = states;
    }

    @Override
    public CommandResult call() throws Exception {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("state:history: --offset must be 0 or more and --limit 1 or "
                    + "more; were " + offset + " and " + limit);
        }
        Table t = new Table("CYCLE", "VERSION", "DIGEST", "SAVED")
                .ifEmpty("no states of agent '" + agentId + "' in run '" + runId + "'");
        ArrayNode json = Json.array();
        for (StoredState s : states.history(agentId, runId, offset, limit)) {
            t.row(s.cycle(), s.stateVersion(), CycleSnapshots.digest(s.payload()).substring(0, 12),
                    s.savedAt().truncatedTo(ChronoUnit.MILLIS));
            json.add(StateViews.json(s, true));
        }
        return CommandResult.of(t, json);
    }
}
