package io.harmonix.workflow.internal.command.definition;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.internal.Graphs;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:graph")
@CommandSummary("draw a workflow or an instance as Mermaid or DOT")
@Command(description = "Draws a workflow's task graph (latest version), or an instance's "
        + "with each task coloured by its state, as Mermaid (default) or Graphviz DOT.")
public final class GraphCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(index = "0", paramLabel = "NAME|INSTANCE", description = "A workflow name or an instance id.")
    String what;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mermaid",
            description = "mermaid (default) or dot.")
    String format;

    @Activate
    public GraphCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        Optional<InstanceInfo> instance = workflows.instance(what);
        DefinitionInfo d = instance.map(i -> workflows.definition(i.workflow(), i.version()).orElse(null))
                .orElseGet(() -> workflows.definition(what, null).orElse(null));
        if (d == null) {
            throw new IllegalArgumentException("wf:graph: '" + what + "' is neither a deployed workflow nor an "
                    + "instance (of a definition still deployed)");
        }
        return CommandResult.plain(Graphs.draw(d, instance.orElse(null), format));
    }
}
