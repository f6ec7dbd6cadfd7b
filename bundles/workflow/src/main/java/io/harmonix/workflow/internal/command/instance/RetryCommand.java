package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskState;
import io.harmonix.workflow.api.WorkflowService;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:retry")
@CommandSummary("let a failed or cancelled instance go on, reusing what succeeded")
@Command(description = "Lets a failed or cancelled instance go on: tasks that succeeded keep "
        + "their outputs; the others run again (with --from, that task and everything after it too).")
public final class RetryCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
    String id;

    @Option(names = "--from", paramLabel = "TASK", description = "Run this task and its downstream again.")
    String from;

    @Activate
    public RetryCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        InstanceInfo i = workflows.retry(id, from);
        long again = i.tasks().stream().filter(t -> t.state() == TaskState.PENDING || t.state() == TaskState.RUNNING)
                .count();
        return CommandResult.plain("instance " + i.id() + ": " + i.state().name().toLowerCase(Locale.ROOT) + ", "
                + again + " task(s) to run again");
    }
}
