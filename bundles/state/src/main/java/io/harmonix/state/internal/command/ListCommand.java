package io.harmonix.state.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import io.harmonix.state.api.StateAdmin;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("state:list")
@CommandSummary("list the stored agent states by run and agent")
@Command(description = "Lists, per run and agent, the latest stored state: its cycle, "
        + "version and how many states are kept.")
public final class ListCommand implements ShellCommand {
    private final StateAdmin states;

    @Option(names = {"-r", "--run"}, paramLabel = "RUN", description = "Only this run.")
    String run;

    @Activate
    public ListCommand(@Reference StateAdmin states) {
        this.states = states;
    }

    @Override
    public CommandResult call() throws Exception {
        Map<String, List<StoredState>> byKey = new LinkedHashMap<>();
        for (StoredState s : states.allRaw()) {
            if (run == null || run.equals(s.runId())) {
                byKey.computeIfAbsent(s.runId() + "\u0000" + s.agentId(), k -> new ArrayList<>()).add(s);
            }
        }
        Table t = new Table("RUN", "AGENT", "LATEST-CYCLE", "VERSION", "STATES", "SAVED").ifEmpty("no stored states");
        ArrayNode json = Json.array();
        for (List<StoredState> kept : byKey.values()) {
            StoredState last = kept.get(kept.size() - 1);
            t.row(last.runId(), last.agentId(), last.cycle(), last.stateVersion(), kept.size(),
                    last.savedAt().truncatedTo(ChronoUnit.SECONDS));
            json.add(StateViews.json(last, false).put("states", kept.size()));
        }
        return CommandResult.of(t, json);
    }
}
