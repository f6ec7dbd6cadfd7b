package io.harmonix.workflow.internal.command.definition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:list")
@CommandSummary("list deployed workflows")
@Command(description = "Lists deployed workflows, every version.")
public final class ListCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Activate
    public ListCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        Table t = new Table("NAME", "VERSION", "TASKS", "DEPLOYED", "DESCRIPTION").ifEmpty("no workflows deployed");
        ArrayNode json = Json.array();
        for (DefinitionInfo d : workflows.definitions()) {
            t.row(d.name(), d.version(), d.tasks().size(), d.deployedAt(), d.description());
            json.addObject().put("name", d.name()).put("version", d.version()).put("tasks", d.tasks().size())
                    .put("description", d.description()).put("deployedAt", d.deployedAt().toString())
                    .put("source", d.source());
        }
        return CommandResult.of(t, json);
    }
}
