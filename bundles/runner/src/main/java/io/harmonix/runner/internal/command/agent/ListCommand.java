package io.harmonix.runner.internal.command.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("agent:list")
@CommandSummary("list the agents present")
@Command(description = "Lists the agent services present, by id.")
public final class ListCommand implements ShellCommand {
    private final CycleRunner runner;

    @Activate
    public ListCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() {
        Table t = new Table("AGENT", "TYPE", "BUNDLE", "BUNDLE-ID").ifEmpty("no agents");
        ArrayNode json = Json.array();
        for (AgentInfo a : runner.agents()) {
            t.row(a.agentId(), a.agentType(), a.bundleSymbolicName(), a.bundleId());
            json.addObject().put("agentId", a.agentId()).put("agentType", a.agentType()).put("bundleId", a.bundleId())
                    .put("bundle", a.bundleSymbolicName());
        }
        return CommandResult.of(t, json);
    }
}
