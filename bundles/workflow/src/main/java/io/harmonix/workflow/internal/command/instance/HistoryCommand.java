package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:history")
@CommandSummary("every event of an instance's history, with time")
@Command(description = "Every event of an instance's history, oldest first: sequence, "
        + "time, kind, task, data.")
public final class HistoryCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
    String id;

    @Activate
    public HistoryCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        List<HistoryEvent> all = workflows.history(id);
        Table t = new Table("SEQ", "AT", "EVENT", "TASK", "DATA").ifEmpty("no history for " + id);
        all.forEach(e -> t.row(e.sequence(), e.at(), e.kind(), e.task() == null ? "" : e.task(),
                e.data().isEmpty() ? "" : WorkflowViews.json(e.data()).toString()));
        return CommandResult.of(t, WorkflowViews.json(all));
    }
}
