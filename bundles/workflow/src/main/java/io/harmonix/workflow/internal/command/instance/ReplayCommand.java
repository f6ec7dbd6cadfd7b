package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import io.harmonix.workflow.api.WorkflowService;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("wf:replay")
@CommandSummary("rebuild an instance from its history alone and compare with its state")
@Command(description = "Rebuilds an instance's state from its history alone and compares "
        + "it with the state kept. Fails when they differ.")
public final class ReplayCommand implements ShellCommand {
    private final WorkflowService workflows;

    @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id.")
    String id;

    @Activate
    public ReplayCommand(@Reference WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public CommandResult call() {
        List<String> diffs = workflows.replay(id);
        int events = workflows.history(id).size();
        if (diffs.isEmpty()) {
            return CommandResult.plain("instance " + id + ": the state rebuilt from " + events + " history events "
                    + "equals the state kept");
        }
        return CommandResult.plain(String.join("\n", diffs)).failingWith(new IllegalStateException("wf:replay: "
                + diffs.size() + " difference(s)"));
    }
}
