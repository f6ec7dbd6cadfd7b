package io.harmonix.workflow.internal.command.definition;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:deploy")
@CommandSummary("validate and store a workflow file by name and version")
@Command(description = "Validates a workflow file and stores it under its name and "
        + "version (the same name and version is replaced; instances already started keep theirs).")
public final class DeployCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(paramLabel = "FILE", description = "The workflow file.")
    String file;

    @Activate
    public DeployCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() throws Exception {
        try {
            DefinitionInfo d = workflows.deploy(file, DefinitionFiles.read(file));
            return CommandResult.plain("deployed " + d.name() + " " + d.version() + " (" + d.tasks().size()
                    + " tasks)");
        } catch (WorkflowValidationException e) {
            return CommandResult.plain(DefinitionFiles.problemLines(e.problems())).failingWith(
                    new IllegalArgumentException(file + ": " + e.problems().size() + " problem(s), not deployed"));
        }
    }
}
