package io.harmonix.state.internal.command;

import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.state.api.StateAdmin;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("state:show")
@CommandSummary("show an agent's state in a run")
@Command(description = "Shows an agent's state in a run: the latest, or the one of a "
        + "cycle. Older versions are shown migrated to the agent's current version.")
public final class ShowCommand implements ShellCommand {
    private final StateAdmin states;

    @Parameters(index = "0", paramLabel = "AGENT")
    String agentId;

    @Parameters(index = "1", paramLabel = "RUN")
    String runId;

    @Parameters(index = "2", paramLabel = "CYCLE", arity = "0..1", description = "Default: the latest.")
    Long cycle;

    @Activate
    public ShowCommand(@Reference StateAdmin states) {
        this.states = states;
    }

    @Override
    public CommandResult call() throws Exception {
        Optional<StoredState> s = cycle == null ? states.latest(agentId, runId)
                : states.loadState(agentId, runId, cycle);
        StoredState state = s.orElseThrow(() -> new IllegalArgumentException("state:show: no state of agent '"
                + agentId + "' in run '" + runId + "'" + (cycle == null ? "" : " at cycle " + cycle)
                + "; state:list shows what is stored"));
        return CommandResult.of("agent " + state.agentId() + ", run " + state.runId() + ", cycle " + state.cycle()
                + ", state version " + state.stateVersion() + ", saved " + state.savedAt() + "\n"
                + Json.pretty(state.payload()), StateViews.json(state, true));
    }
}
