package io.harmonix.runner.internal.command.cycle;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("cycle:run")
@CommandSummary("start a run of agents, cycle after cycle")
@Command(description = "Starts a run: the selected agents are called once per cycle, in "
        + "parallel, each within the deadline; every cycle gives a snapshot.", sortOptions = false)
public final class RunCommand implements ShellCommand {
    private final CycleRunner runner;

    @Option(names = {"-a", "--agents"}, split = ",", paramLabel = "ID",
            description = "Agents to call, comma-separated (default: every agent present at each cycle).")
    List<String> agents = new ArrayList<>();

    @Option(names = {"-n", "--cycles"}, paramLabel = "N|forever",
            description = "How many cycles, or 'forever' to run until stopped (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    String cycles;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION",
            description = "Pause between cycles, e.g. 200ms, 5s, 1m (default: ${DEFAULT-VALUE}).",
            defaultValue = "1s")
    Duration interval;

    @Option(names = {"-d", "--deadline"}, paramLabel = "DURATION",
            description = "How long each agent may take per cycle (default: the runner's defaultDeadline).")
    Duration deadline;

    @Option(names = "--id", paramLabel = "RUN", description = "Id of the run (default: generated).")
    String id;

    @Option(names = {"-w", "--wait"}, description = "Wait until the run has finished, then show it.")
    boolean await;

    @Option(names = {"-f", "--follow"}, description = "Print each cycle as it completes, until the run ends.")
    boolean follow;

    @Activate
    public RunCommand(@Reference CycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public CommandResult call() throws Exception {
        RunInfo run = runner.start(new RunRequest(id, agents, cycleCount(), interval, deadline, null));
        if (follow) {
            return CommandResult.streamed(items -> follow(run.runId(), items));
        }
        if (!await) {
            return CommandResult.of("started " + RunViews.summary(run), RunViews.json(run));
        }
        RunInfo done = runner.await(run.runId(), Duration.ofDays(365));
        List<CycleSnapshot> snapshots = runner.cycles(done.runId(), 0);
        return CommandResult.of(RunViews.cycleTable(snapshots) + RunViews.summary(done),
                RunViews.json(done, snapshots));
    }

    private long cycleCount() {
        if ("forever".equalsIgnoreCase(cycles)) {
            return RunRequest.UNTIL_STOPPED;
        }
        long n;
        try {
            n = Long.parseLong(cycles);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1) {
            throw new IllegalArgumentException("cycle:run: --cycles '" + cycles
                    + "': expected a whole number of at least 1, or 'forever'");
        }
        return n;
    }

    /** Writes each cycle as it is committed until the run has finished; then its summary (text only). */
    private CommandResult follow(String runId, CommandResult.ItemSink items) throws InterruptedException {
        long seen = 0;
        while (true) {
            RunInfo r = runner.run(runId).orElseThrow();
            for (CycleSnapshot s : runner.cycles(runId, seen)) {
                // the JSON line is the snapshot's canonical JSON: the sink sorts keys, as CycleSnapshots does
                items.item(RunViews.cycleLine(r, s), CycleSnapshots.toTree(s));
                seen = s.cycle();
            }
            if (r.state().finished() && runner.cycles(runId, seen).isEmpty()) {
                return CommandResult.of(RunViews.summary(r), null);
            }
            runner.await(runId, Duration.ofMillis(50));
        }
    }
}
