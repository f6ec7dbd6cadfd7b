package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.time.Duration;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:instance")
@CommandSummary("show a workflow instance and its tasks")
@Command(description = "Shows an instance: state, progress, each task's state, attempts, "
        + "time and reason, and the outputs.")
public final class InstanceCommand implements ShellCommand {
    private static final int PROGRESS_WIDTH = 30;

    private final WorkflowService workflows;

    @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
    String id;

    @Option(names = "--await", paramLabel = "DURATION", description = "First wait (at most this long) for it to "
            + "end; fails when it has not ended then, or did not succeed.")
    Duration await;

    @Activate
    public InstanceCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        InstanceInfo i;
        try {
            i = await == null ? workflows.instance(id).orElseThrow(() -> new IllegalArgumentException(
                    "unknown instance '" + id + "'")) : workflows.await(id, await);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("wf:instance: interrupted");
        }
        CommandResult result = CommandResult.of(text(i), WorkflowViews.json(i));
        if (await != null && i.state() != InstanceState.SUCCEEDED) {
            return result.failingWith(new IllegalStateException("wf:instance: " + id + " is " + i.state().name()
                    .toLowerCase(Locale.ROOT) + (i.error() == null ? "" : ": " + i.error())));
        }
        return result;
    }

    private static String text(InstanceInfo i) {
        long done = i.tasks().stream().filter(t -> t.state().terminal()).count();
        int filled = i.tasks().isEmpty() ? PROGRESS_WIDTH : (int) (PROGRESS_WIDTH * done / i.tasks().size());
        Table t = new Table("TASK", "STATE", "ATTEMPTS", "TOOK", "REASON");
        for (TaskInfo x : i.tasks()) {
            t.row(x.id(), x.state().name().toLowerCase(Locale.ROOT), x.attempts(),
                    WorkflowViews.took(x.startedAt(), x.endedAt()), x.reason() == null ? "" : x.reason());
        }
        return i.id() + " " + i.workflow() + " " + i.version() + ": " + i.state().name().toLowerCase(Locale.ROOT)
                + (i.error() == null ? "" : " (" + i.error() + ")") + "\n"
                + "[" + "#".repeat(filled) + ".".repeat(PROGRESS_WIDTH - filled) + "] " + done + "/" + i.tasks().size()
                + " tasks\n" + t + (i.output() == null ? "" : "output: " + WorkflowViews.json(i.output()));
    }
}
