package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:instances")
@CommandSummary("list workflow instances")
@Command(description = "Lists the instances kept: running ones and the latest finished.")
public final class InstancesCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Activate
    public InstancesCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        List<InstanceInfo> all = workflows.instances();
        Table t = new Table("INSTANCE", "WORKFLOW", "VERSION", "STATE", "TASKS DONE", "STARTED", "TOOK")
                .ifEmpty("no instances");
        all.forEach(i -> t.row(i.id(), i.workflow(), i.version(), i.state().name().toLowerCase(Locale.ROOT),
                i.tasks().stream().filter(x -> x.state().terminal()).count() + "/" + i.tasks().size(),
                i.startedAt(), WorkflowViews.took(i.startedAt(), i.endedAt())));
        return CommandResult.of(t, WorkflowViews.json(all));
    }
}
