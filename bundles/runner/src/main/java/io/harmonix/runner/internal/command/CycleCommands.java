package io.harmonix.runner.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.config.api.Durations;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code cycle:} commands. Each takes {@code --help}; output is a table, or JSON with {@code --json}. */
@Component(service = CycleCommands.class, property = {
    "osgi.command.scope=cycle",
    "osgi.command.function=run",
    "osgi.command.function=runs",
    "osgi.command.function=show",
    "osgi.command.function=pause",
    "osgi.command.function=resume",
    "osgi.command.function=stop",
    "osgi.command.function=fork",
    "osgi.command.function=await"})
public class CycleCommands {
    @Reference
    private CycleRunner runner;

    @Descriptor("start a run of agents, cycle after cycle (cycle:run --help for its options)")
    public void run(String... args) throws Exception {
        CommandLines.run(new RunCommand(runner, System.out), System.out, args);
    }

    @Descriptor("list the runs (cycle:runs --help)")
    public void runs(String... args) throws Exception {
        CommandLines.run(new RunsCommand(runner, System.out), System.out, args);
    }

    @Descriptor("show a run and its recent cycles (cycle:show --help)")
    public void show(String... args) throws Exception {
        CommandLines.run(new ShowCommand(runner, System.out), System.out, args);
    }

    @Descriptor("pause a run after its current cycle (cycle:pause --help)")
    public void pause(String... args) throws Exception {
        CommandLines.run(new ControlCommand(runner, runner::pause, System.out), "cycle:pause", System.out, args);
    }

    @Descriptor("resume a paused run (cycle:resume --help)")
    public void resume(String... args) throws Exception {
        CommandLines.run(new ControlCommand(runner, runner::resume, System.out), "cycle:resume", System.out, args);
    }

    @Descriptor("stop a run after its current cycle (cycle:stop --help)")
    public void stop(String... args) throws Exception {
        CommandLines.run(new ControlCommand(runner, runner::stop, System.out), "cycle:stop", System.out, args);
    }

    @Descriptor("start a new run from the agents' states after a past cycle of a run (cycle:fork --help)")
    public void fork(String... args) throws Exception {
        CommandLines.run(new ForkCommand(runner, System.out), System.out, args);
    }

    @Descriptor("wait until a run has finished (cycle:await --help)")
    public void await(String... args) throws Exception {
        CommandLines.run(new AwaitCommand(runner, System.out), System.out, args);
    }

    // ---- the commands --------------------------------------------------------------------------------------

    @Command(name = "cycle:run", description = "Starts a run: the selected agents are called once per cycle, in "
            + "parallel, each within the deadline; every cycle gives a snapshot.", sortOptions = false)
    static final class RunCommand extends RunnerCommand {

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



        RunCommand(CycleRunner runner, PrintStream out) {
            super(runner, out);
        }

        @Override
        public Object call() throws Exception {
            long n;
            if ("forever".equalsIgnoreCase(cycles)) {
                n = RunRequest.UNTIL_STOPPED;
            } else {
                try {
                    n = Long.parseLong(cycles);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 1) {
                    throw new IllegalArgumentException("cycle:run: --cycles '" + cycles
                            + "': expected a whole number of at least 1, or 'forever'");
                }
            }
            RunInfo run = runner.start(new RunRequest(id, agents, n, interval, deadline, null));
            if (follow) {
                return Follow.follow(runner, run.runId(), out, options.json);
            }
            if (await) {
                run = runner.await(run.runId(), Duration.ofDays(365));
            }
            if (options.json) {
                ObjectNode o = RunViews.json(run);
                if (await) {
                    ArrayNode cycles = o.putArray("snapshots");
                    runner.cycles(run.runId(), 0).forEach(s -> cycles.add(CycleSnapshots.toTree(s)));
                }
                out.println(Json.pretty(o));
            } else if (await) {
                out.print(RunViews.cycleTable(runner.cycles(run.runId(), 0)));
                out.println(RunViews.summary(run));
            } else {
                out.println("started " + RunViews.summary(run));
            }
            return null;
        }
    }

    @Command(name = "cycle:runs", description = "Lists the runs the runner knows, oldest first.")
    static final class RunsCommand extends RunnerCommand {



        RunsCommand(CycleRunner runner, PrintStream out) {
            super(runner, out);
        }

        @Override
        public Object call() {
            List<RunInfo> runs = runner.runs();
            if (options.json) {
                ArrayNode a = Json.array();
                runs.forEach(r -> a.add(RunViews.json(r)));
                out.println(Json.pretty(a));
                return null;
            }
            if (runs.isEmpty()) {
                out.println("no runs");
                return null;
            }
            Table t = new Table("RUN", "STATE", "CYCLES", "AGENTS", "INTERVAL", "DEADLINE", "FAILED", "STARTED");
            for (RunInfo r : runs) {
                t.row(r.runId(), r.state().name().toLowerCase(Locale.ROOT), RunViews.progress(r),
                        r.agentIds().isEmpty() ? "all" : String.join(",", r.agentIds()),
                        Durations.format(r.interval()), Durations.format(r.deadline()), r.failedEntries(),
                        r.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
            out.print(t);
            return null;
        }
    }

    @Command(name = "cycle:show", description = "Shows a run and its most recent cycles; with --cycle, one "
            + "cycle's snapshot.")
    static final class ShowCommand extends RunnerCommand {

        @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
        String runId;

        @Option(names = {"-l", "--last"}, paramLabel = "N", defaultValue = "10",
                description = "How many recent cycles to list (default: ${DEFAULT-VALUE}).")
        int last;

        @Option(names = {"-c", "--cycle"}, paramLabel = "N", description = "Show this cycle's snapshot in full.")
        Long cycle;



        ShowCommand(CycleRunner runner, PrintStream out) {
            super(runner, out);
        }

        @Override
        public Object call() {
            RunInfo run = runner.run(runId).orElseThrow(() -> new IllegalArgumentException("cycle:show: unknown run '"
                    + runId + "'; cycle:runs lists the runs"));
            List<CycleSnapshot> all = runner.cycles(runId, 0);
            if (cycle != null) {
                CycleSnapshot s = all.stream().filter(c -> c.cycle() == cycle).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("cycle:show: run '" + runId + "' has no "
                                + "retained cycle " + cycle + (all.isEmpty() ? "" : "; retained: "
                                + all.get(0).cycle() + " to " + all.get(all.size() - 1).cycle())));
                out.println(options.json ? Json.pretty(CycleSnapshots.toTree(s)) : RunViews.snapshotText(s));
                return null;
            }
            if (options.json) {
                ObjectNode o = RunViews.json(run);
                ArrayNode cycles = o.putArray("snapshots");
                all.forEach(s -> cycles.add(CycleSnapshots.toTree(s)));
                out.println(Json.pretty(o));
                return null;
            }
            out.println(RunViews.summary(run));
            List<CycleSnapshot> recent = all.subList(Math.max(0, all.size() - Math.max(0, last)), all.size());
            if (!recent.isEmpty()) {
                out.print(RunViews.cycleTable(recent));
            }
            return null;
        }
    }

    @Command(description = "Controls a run.")
    static final class ControlCommand extends RunnerCommand {
        private final java.util.function.Function<String, RunInfo> action;

        @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
        String runId;

        ControlCommand(CycleRunner runner, java.util.function.Function<String, RunInfo> action, PrintStream out) {
            super(runner, out);
            this.action = action;
        }

        @Override
        public Object call() {
            RunInfo r = action.apply(runId);
            out.println(options.json ? Json.pretty(RunViews.json(r)) : RunViews.summary(r));
            return null;
        }
    }

    @Command(name = "cycle:fork", description = "Starts a new run from the agents' states after cycle CYCLE of "
            + "run RUN, with its agents, interval and deadline; the fork's cycles are numbered on from CYCLE+1 and "
            + "the original run is not touched (time travel).")
    static final class ForkCommand extends RunnerCommand {
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

        ForkCommand(CycleRunner runner, PrintStream out) {
            super(runner, out);
        }

        @Override
        public Object call() throws Exception {
            RunInfo r = runner.fork(runId, cycle, id, cycles);
            if (await) {
                r = runner.await(r.runId(), Duration.ofDays(365));
            }
            out.println(options.json ? Json.pretty(RunViews.json(r)) : (await ? "" : "started ") + RunViews.summary(r));
            return null;
        }
    }

    @Command(name = "cycle:await", description = "Waits until a run has finished (completed, stopped or failed), "
            + "then shows it; fails when the time is up first.")
    static final class AwaitCommand extends RunnerCommand {
        @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
        String runId;

        @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "10m",
                description = "Give up after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        AwaitCommand(CycleRunner runner, PrintStream out) {
            super(runner, out);
        }

        @Override
        public Object call() throws Exception {
            RunInfo r = runner.await(runId, timeout);
            if (!r.state().finished()) {
                throw new IllegalStateException("cycle:await: run '" + runId + "' is still " + r.state().name()
                        .toLowerCase(Locale.ROOT) + " after " + Durations.format(timeout) + " (cycle "
                        + r.completedCycles() + ")");
            }
            out.println(options.json ? Json.pretty(RunViews.json(r)) : RunViews.summary(r));
            return null;
        }
    }

    /** Prints cycles as they are committed until the run finishes. */
    static final class Follow {
        private Follow() {
        }

        static Object follow(CycleRunner runner, String runId, PrintStream out, boolean json) throws InterruptedException {
            long seen = 0;
            while (true) {
                RunInfo r = runner.run(runId).orElseThrow();
                for (CycleSnapshot s : runner.cycles(runId, seen)) {
                    out.println(json ? CycleSnapshots.toCanonicalJson(s) : RunViews.cycleLine(r, s));
                    seen = s.cycle();
                }
                out.flush();
                if (r.state().finished() && runner.cycles(runId, seen).isEmpty()) {
                    if (!json) {
                        out.println(RunViews.summary(r));
                    }
                    return null;
                }
                runner.await(runId, Duration.ofMillis(50));
            }
        }
    }
}
