package io.harmonix.runner.internal.command.cycle;

import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("cycle:resume")
@CommandSummary("resume a paused run")
@Command(description = "Controls a run.")
public final class ResumeCommand implements ShellCommand {
    private final CycleRunner runner;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String runId;

    @Activate
    public ResumeCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() {
        return RunViews.result(runner.resume(runId));
    }
}
