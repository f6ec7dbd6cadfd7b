package io.harmonix.workflow.internal.command.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:show")
@CommandSummary("show a deployed workflow")
@Command(description = "Shows a deployed workflow's definition (the latest version unless "
        + "one is given).")
public final class ShowCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workflow name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Version (default: latest).")
    String version;

    @Activate
    public ShowCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        DefinitionInfo d = workflows.definition(name, version).orElseThrow(() -> new IllegalArgumentException(
                "no workflow " + name + (version == null ? "" : " version " + version)));
        ObjectNode json = Json.object().put("name", d.name()).put("version", d.version())
                .put("description", d.description()).put("source", d.source())
                .put("deployedAt", d.deployedAt().toString()).put("text", d.text());
        d.tasks().forEach(json.putArray("tasks")::add);
        return CommandResult.of(d.name() + " " + d.version() + " (deployed " + d.deployedAt() + " from "
                + d.source() + ")\n" + d.text(), json);
    }
}
