package io.harmonix.runner.internal.command.cycle;

import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("cycle:fork")
@CommandSummary("start a new run from the agents' states after a past cycle of a run")
@Command(description = "Starts a new run from the agents' states after cycle CYCLE of "
        + "run RUN, with its agents, interval and deadline; the fork's cycles are numbered on from CYCLE+1 and "
        + "the original run is not touched (time travel).")
public final class ForkCommand implements ShellCommand {
    private final CycleRunner runner;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run to fork.")
    String runId;

    @Parameters(index = "1", paramLabel = "CYCLE", description = "Its committed cycle to start after (0: from "
            + "no state).")
    long cycle;

    @Option(names = "--id", paramLabel = "RUN", description = "Id of the fork (default: generated).")
    String id;

    @Option(names = {"-n", "--cycles"}, paramLabel = "N",
            description = "How many cycles the fork does (default: as many as the original had left).")
    Long cycles;

    @Option(names = {"-w", "--wait"}, description = "Wait until the fork has finished.")
    boolean await;

    @Activate
    public ForkCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() throws Exception {
        RunInfo fork = runner.fork(runId, cycle, id, cycles);
        if (!await) {
            return CommandResult.of("started " + RunViews.summary(fork), RunViews.json(fork));
        }
        return RunViews.result(runner.await(fork.runId(), Duration.ofDays(365)));
    }
}
