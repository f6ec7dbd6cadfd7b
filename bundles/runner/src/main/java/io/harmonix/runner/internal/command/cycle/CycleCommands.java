package io.harmonix.runner.internal.command.cycle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.api.NodeInfo;
import io.harmonix.config.api.Durations;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.shell.api.BadArgumentException;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code cycle:} commands: start runs of agents, watch them, control them and fork them. */
@Component
@CommandScope("cycle")
public final class CycleCommands implements ShellCommands {
    /** How long {@code --wait} waits: until the run ends, in practice. */
    private static final Duration FOREVER = Duration.ofDays(365);

    @Reference
    private CycleRunner runner;

    /**
     * This runtime's node of the cluster, when the cluster bundle publishes one: {@code cycle:runs} and
     * {@code cycle:show} then say which runtime drives a run this one does not (the owner of its {@code run:ID}
     * lease). Without it (a runtime without the cluster bundle, a node that cannot join) every run is this one's.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClusterNode cluster;

    @Command(name = "run", header = "start a run of agents, cycle after cycle", description = "Starts a run: the "
            + "selected agents are called once per cycle, in parallel, each within the deadline; every cycle gives "
            + "a snapshot.", sortOptions = false)
    public CommandResult run(
            // not given, picocli passes null, which RunRequest reads as every agent (as the empty list was)
            @Option(names = {"-a", "--agents"}, split = ",", paramLabel = "ID", description = "Agents to call, "
                    + "comma-separated (default: every agent present at each cycle).") List<String> agents,
            @Option(names = {"-n", "--cycles"}, paramLabel = "N|forever", description = "How many cycles, or "
                    + "'forever' to run until stopped (default: ${DEFAULT-VALUE}).", defaultValue = "10")
            String cycles,
            @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", description = "Pause between cycles, "
                    + "e.g. 200ms, 5s, 1m (default: ${DEFAULT-VALUE}).", defaultValue = "1s") Duration interval,
            @Option(names = {"-d", "--deadline"}, paramLabel = "DURATION", description = "How long each agent may "
                    + "take per cycle (default: the runner's defaultDeadline).") Duration deadline,
            @Option(names = "--id", paramLabel = "RUN", description = "Id of the run (default: generated).")
            String id,
            @Option(names = {"-w", "--wait"}, description = "Wait until the run has finished, then show it.")
            boolean await,
            @Option(names = {"-f", "--follow"}, description = "Print each cycle as it completes, until the run "
                    + "ends.") boolean follow,
            @Option(names = "--input", paramLabel = "KEY=VALUE", description = "An input handed to every agent "
                    + "each cycle, e.g. target=/src/app; repeat for more.") Map<String, String> inputs)
            throws InterruptedException {
        if (agents != null) {
            checkAgents(agents);
        }
        ObjectNode given = JsonNodeFactory.instance.objectNode();
        if (inputs != null) {
            inputs.forEach(given::put);
        }
        RunInfo run = runner.start(new RunRequest(id, agents, cycleCount(cycles), interval, deadline, given));
        if (follow) {
            return CommandResult.streamed(items -> follow(run.runId(), items));
        }
        if (!await) {
            return CommandResult.of("started " + RunViews.summary(run), RunViews.json(run));
        }
        RunInfo done = runner.await(run.runId(), FOREVER);
        List<CycleSnapshot> snapshots = runner.cycles(done.runId(), 0);
        return failedRun("cycle:run", done, CommandResult.of(RunViews.cycleTable(snapshots)
                + RunViews.summary(done), RunViews.json(done, snapshots)));
    }

    /**
     * A run waited for that failed is a failed command (exec mode exits 1), after the run is shown: a script
     * that waits for a run must not go on as if its cycles were durable.
     */
    private static CommandResult failedRun(String command, RunInfo r, CommandResult shown) {
        if (r.state() != RunState.FAILED) {
            return shown;
        }
        return shown.failingWith(new IllegalStateException(command + ": run " + r.runId() + " failed: "
                + r.message() + "; once that is mended, cycle:resume " + r.runId() + " goes on from cycle "
                + r.completedCycles()));
    }

    @Command(name = "runs", header = "list the runs", description = "Lists the runs the runner knows, oldest "
            + "first; in a cluster, a run another runtime drives is 'running on NODE'; a run started where there "
            + "was no room (the runner's maxRuns) is 'offered' until a runtime with room starts it.")
    public CommandResult runs() {
        Table t = new Table("RUN", "STATE", "CYCLES", "AGENTS", "INTERVAL", "DEADLINE", "FAILED", "STARTED")
                .ifEmpty("no runs");
        List<RunInfo> runs;
        try {
            runs = runner.runs();
        } catch (IllegalStateException e) { // the journal is away or unreadable: "no runs" would be a lie
            throw new IllegalStateException("cycle:runs: " + e.getMessage(), e);
        }
        Map<String, RunViews.Holder> holders = holders("cycle:runs");
        return CommandResult.listing(t, runs, (table, r) -> table.row(r.runId(),
                RunViews.state(r, holders.get(r.runId())), RunViews.progress(r),
                r.agentIds().isEmpty() ? "all" : String.join(",", r.agentIds()), Durations.format(r.interval()),
                Durations.format(r.deadline()), r.failedEntries(), r.startedAt().truncatedTo(ChronoUnit.SECONDS)),
                r -> RunViews.json(r, holders.get(r.runId())));
    }

    /**
     * Who holds each run's lease ({@code run:ID}), by run id: none without a cluster node. A lease table that cannot
     * be read is an error: a run driven elsewhere would show as interrupted here, which is not so.
     */
    private Map<String, RunViews.Holder> holders(String command) {
        ClusterNode node = cluster;
        if (node == null) {
            return Map.of();
        }
        try {
            Map<String, Boolean> alive = new java.util.HashMap<>();
            for (NodeInfo n : node.nodes()) {
                alive.put(n.id(), n.alive());
            }
            Map<String, RunViews.Holder> holders = new java.util.HashMap<>();
            for (LeaseInfo l : node.leases().list()) {
                if (l.key().startsWith(RunViews.LEASE_PREFIX) && l.owner() != null) {
                    holders.put(l.key().substring(RunViews.LEASE_PREFIX.length()), new RunViews.Holder(l.owner(),
                            l.owner().equals(node.nodeId()), l.expired(), alive.getOrDefault(l.owner(), false)));
                }
            }
            return holders;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(command + ": the leases of the cluster could not be read: "
                    + e.getMessage(), e);
        }
    }

    @Command(name = "show", header = "show a run and its recent cycles", description = "Shows a run and its most "
            + "recent cycles; with --cycle, one cycle's snapshot.")
    public CommandResult show(
            @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.") String runId,
            @Option(names = {"-l", "--last"}, paramLabel = "N", defaultValue = "10",
                    description = "How many recent cycles to list (default: ${DEFAULT-VALUE}).") int last,
            @Option(names = {"-c", "--cycle"}, paramLabel = "N", description = "Show this cycle's snapshot in "
                    + "full.") Long cycle) {
        if (last < 0) {
            throw new BadArgumentException("--last must be 0 or more, not " + last);
        }
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
        List<CycleSnapshot> recent = all.subList(Math.max(0, all.size() - last), all.size());
        RunViews.Holder holder = holders("cycle:show").get(runId);
        return CommandResult.of(RunViews.summary(run, holder) + "\n"
                + (recent.isEmpty() ? "" : RunViews.cycleTable(recent)), RunViews.json(run, holder, all));
    }

    @Command(name = "await", header = "wait until a run has finished", description = "Waits until a run has "
            + "finished (completed, stopped or failed), then shows it; fails when the time is up first.")
    public CommandResult await(
            @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.") String runId,
            @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "10m",
                    description = "Give up after this long (default: ${DEFAULT-VALUE}).") Duration timeout)
            throws InterruptedException {
        RunInfo r = runner.await(runId, timeout);
        if (!r.state().finished()) {
            throw new IllegalStateException("cycle:await: run '" + runId + "' is still " + r.state().name()
                    .toLowerCase(Locale.ROOT) + " after " + Durations.format(timeout) + " (cycle "
                    + r.completedCycles() + ")");
        }
        return failedRun("cycle:await", r, RunViews.result(r));
    }

    @Command(name = "fork", header = "start a new run from the agents' states after a past cycle of a run",
            description = "Starts a new run from the agents' states after cycle CYCLE of run RUN, with its agents, "
                    + "interval and deadline; the fork's cycles are numbered on from CYCLE+1 and the original run "
                    + "is not touched (time travel).")
    public CommandResult fork(
            @Parameters(index = "0", paramLabel = "RUN", description = "The run to fork.") String runId,
            @Parameters(index = "1", paramLabel = "CYCLE", description = "Its committed cycle to start after (0: "
                    + "from no state).") long cycle,
            @Option(names = "--id", paramLabel = "RUN", description = "Id of the fork (default: generated).")
            String id,
            @Option(names = {"-n", "--cycles"}, paramLabel = "N", description = "How many cycles the fork does "
                    + "(default: as many as the original had left).") Long cycles,
            @Option(names = {"-w", "--wait"}, description = "Wait until the fork has finished.") boolean await)
            throws InterruptedException {
        RunInfo fork = runner.fork(runId, cycle, id, cycles);
        if (!await) {
            return CommandResult.of("started " + RunViews.summary(fork), RunViews.json(fork));
        }
        RunInfo done = runner.await(fork.runId(), FOREVER);
        return failedRun("cycle:fork", done, RunViews.result(done));
    }

    @Command(name = "pause", header = "pause a run after its current cycle", description = "Controls a run. "
            + "Pause waits until the run has paused, which it does after its current cycle, and shows it.")
    public CommandResult pause(@Mixin RunWait wait) throws InterruptedException {
        return settled(wait, runner.pause(wait.runId), r -> r.state() != RunState.RUNNING, "pausing");
    }

    @Command(name = "resume", header = "resume a paused, interrupted or failed run", description = "Controls a "
            + "run: a paused run goes on; an interrupted or failed one goes on from its last committed cycle (a "
            + "failed one once the cause it failed with is mended: space freed, the index started).")
    public CommandResult resume(@Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
            String runId) {
        return control(runner::resume, runId);
    }

    @Command(name = "stop", header = "stop a run after its current cycle", description = "Controls a run. Stop "
            + "waits until the run has stopped, which it does after its current cycle, and shows it.")
    public CommandResult stop(@Mixin RunWait wait) throws InterruptedException {
        return settled(wait, runner.stop(wait.runId), r -> r.state().finished(), "stopping");
    }

    /**
     * The state at a pause or stop request is still "running" while the cycle under way ends: shows where the run
     * ends up, or that it has not got there within the wait.
     */
    private CommandResult settled(RunWait wait, RunInfo asked, Predicate<RunInfo> there, String going)
            throws InterruptedException {
        RunInfo r = asked;
        long end = System.nanoTime() + wait.timeout.toNanos();
        while (!there.test(r) && System.nanoTime() < end) {
            runner.await(wait.runId, Duration.ofMillis(20)); // returns early only when the run ends
            r = runner.run(wait.runId).orElseThrow();
        }
        if (there.test(r)) {
            return RunViews.result(r);
        }
        return CommandResult.of("run " + wait.runId + ": " + going + ", after its current cycle (not yet after "
                + Durations.format(wait.timeout) + "); " + RunViews.summary(r), RunViews.json(r));
    }

    private static CommandResult control(Function<String, RunInfo> verb, String runId) {
        return RunViews.result(verb.apply(runId));
    }

    /**
     * "--agents ," splits into nothing, which is not "every agent"; a blank id is no agent; an agent named twice
     * would be called twice a cycle. (Checked here, where the user typed them, not in RunRequest, which journals
     * written before this check are read back into.)
     */
    private static void checkAgents(List<String> agents) {
        if (agents.isEmpty()) {
            throw new BadArgumentException("--agents names no agent; leave it out to call every agent");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String id : agents) {
            if (id.isBlank()) {
                throw new BadArgumentException("--agents: '" + id + "' is not an agent id");
            }
            if (!seen.add(id)) {
                throw new BadArgumentException("--agents: '" + id + "' is named twice");
            }
        }
    }

    private static long cycleCount(String cycles) {
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
