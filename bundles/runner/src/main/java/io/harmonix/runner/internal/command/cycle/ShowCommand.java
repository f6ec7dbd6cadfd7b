package io.harmonix.runner.internal.command.cycle;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("cycle:show")
@CommandSummary("show a run and its recent cycles")
@Command(description = "Shows a run and its most recent cycles; with --cycle, one "
        + "cycle's snapshot.")
public final class ShowCommand implements ShellCommand {
    private final CycleRunner runner;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String runId;

    @Option(names = {"-l", "--last"}, paramLabel = "N", defaultValue = "10",
            description = "How many recent cycles to list (default: ${DEFAULT-VALUE}).")
    int last;

    @Option(names = {"-c", "--cycle"}, paramLabel = "N", description = "Show this cycle's snapshot in full.")
    Long cycle;

    @Activate
    public ShowCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() {
        RunInfo run = runner.run(runId).orElseThrow(() -> new IllegalArgumentException("cycle:show: unknown run '"
                + runId + "'; cycle:runs lists the runs"));
        List<CycleSnapshot> all = runner.cycles(runId, 0);
        if (cycle != null) {
            CycleSnapshot s = all.stream().filter(c -> c.cycle() == cycle).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("cycle:show: run '" + runId + "' has no "
                            + "retained cycle " + cycle + (all.isEmpty() ? "" : "; retained: "
                            + all.get(0).cycle() + " to " + all.get(all.size() - 1).cycle())));
            return CommandResult.of(RunViews.snapshotText(s), CycleSnapshots.toTree(s));
        }
        List<CycleSnapshot> recent = all.subList(Math.max(0, all.size() - Math.max(0, last)), all.size());
        return CommandResult.of(RunViews.summary(run) + "\n" + (recent.isEmpty() ? "" : RunViews.cycleTable(recent)),
                RunViews.json(run, all));
    }
}
