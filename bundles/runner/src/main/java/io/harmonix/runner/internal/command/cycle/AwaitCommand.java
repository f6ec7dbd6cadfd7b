package io.harmonix.runner.internal.command.cycle;

import io.harmonix.config.api.Durations;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
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
@CommandName("cycle:await")
@CommandSummary("wait until a run has finished")
@Command(description = "Waits until a run has finished (completed, stopped or failed), "
        + "then shows it; fails when the time is up first.")
public final class AwaitCommand implements ShellCommand {
    private final CycleRunner runner;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String runId;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "10m",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Activate
    public AwaitCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() throws Exception {
        RunInfo r = runner.await(runId, timeout);
        if (!r.state().finished()) {
            throw new IllegalStateException("cycle:await: run '" + runId + "' is still " + r.state().name()
                    .toLowerCase(Locale.ROOT) + " after " + Durations.format(timeout) + " (cycle "
                    + r.completedCycles() + ")");
        }
        return RunViews.result(r);
    }
}
