package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.Table;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.internal.command.WorkflowViews;
import java.util.Locale;

/** How an instance and its tasks read in the instance commands. */
final class InstanceViews {
    private static final int PROGRESS_WIDTH = 30;

    private InstanceViews() {
    }

    /** @return {@code instance ID: state}, the same with {@code --json} (as these commands always answered) */
    static CommandResult stateLine(InstanceInfo i) {
        return CommandResult.plain("instance " + i.id() + ": " + i.state().name().toLowerCase(Locale.ROOT));
    }

    /** @return an instance as {@code wf:instance} shows it: state, a progress bar, its tasks, its output */
    static String text(InstanceInfo i) {
        long done = i.tasks().stream().filter(t -> t.state().terminal()).count();
        int filled = i.tasks().isEmpty() ? PROGRESS_WIDTH : (int) (PROGRESS_WIDTH * done / i.tasks().size());
        Table t = new Table("TASK", "STATE", "ATTEMPTS", "TOOK", "REASON");
        for (TaskInfo x : i.tasks()) {
            t.row(x.id(), x.state().name().toLowerCase(Locale.ROOT), x.attempts(),
                    WorkflowViews.took(x.startedAt(), x.endedAt()), x.reason() == null ? "" : x.reason());
        }
        return i.id() + " " + i.workflow() + " " + i.version() + ": " + WorkflowViews.state(i) + WorkflowViews.why(i)
                + "\n"
                + "[" + "#".repeat(filled) + ".".repeat(PROGRESS_WIDTH - filled) + "] " + done + "/" + i.tasks().size()
                + " tasks\n" + t + (i.output() == null ? "" : "output: " + WorkflowViews.json(i.output()));
    }

    /** @return a task as {@code wf:run} prints it when it changes state */
    static String taskLine(TaskInfo t) {
        return t.id() + " " + t.state().name().toLowerCase(Locale.ROOT)
                + (t.state().terminal() && t.startedAt() != null ? " " + WorkflowViews.took(t.startedAt(), t.endedAt())
                        : "")
                + (t.reason() == null ? "" : " (" + t.reason() + ")");
    }
}
