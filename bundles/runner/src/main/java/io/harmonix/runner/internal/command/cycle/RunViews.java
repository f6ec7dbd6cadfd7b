package io.harmonix.runner.internal.command.cycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.config.api.Durations;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How runs and cycles read in the shell, as text and as JSON. */
final class RunViews {
    /** The key prefix of a run's lease: {@code run:ID} (the runner's RunLeases). */
    static final String LEASE_PREFIX = "run:";

    private RunViews() {
    }

    /**
     * Who holds a run's lease in the cluster.
     *
     * @param node the owner's node id
     * @param here true when it is this runtime
     * @param expired true when the lease ran out (the owner died, or lost the database): any runtime may claim it
     * @param alive whether the owner's heartbeat is recent ({@code cluster:nodes})
     */
    record Holder(String node, boolean here, boolean expired, boolean alive) {
    }

    /**
     * The state of a run as shown. A run this runtime knows only from the journal as going (interrupted, to it) is
     * {@code running on NODE} when another runtime holds its lease, and says so when that lease expired: the run
     * waits to be claimed, and whether its owner is down. A run offered (no room where it was started: {@code
     * maxRuns}) is {@code offered} until a runtime with room claims it; {@code running on NODE} once one holds its
     * lease (it starts there). Anything else: the run's state here.
     */
    static String state(RunInfo r, Holder holder) {
        String state = r.state().name().toLowerCase(Locale.ROOT);
        if (!elsewhere(r, holder)) {
            return state;
        }
        if (!holder.expired()) {
            return "running on " + holder.node();
        }
        return state + " (lease of " + holder.node() + " expired" + (holder.alive() ? "" : ", node down") + ")";
    }

    private static boolean elsewhere(RunInfo r, Holder holder) {
        return holder != null && !holder.here() && (r.state() == io.harmonix.runner.api.RunState.INTERRUPTED
                || r.state() == io.harmonix.runner.api.RunState.OFFERED);
    }

    static String progress(RunInfo r) {
        return r.completedCycles() + "/" + (r.cycles() == RunRequest.UNTIL_STOPPED ? "forever" : r.cycles());
    }

    static String summary(RunInfo r) {
        return summary(r, null);
    }

    /** @param holder who holds the run's lease, or null (see {@link #state}) */
    static String summary(RunInfo r, Holder holder) {
        return "run " + r.runId() + ": " + state(r, holder) + ", cycles " + progress(r)
                + ", agents " + (r.agentIds().isEmpty() ? "all" : String.join(",", r.agentIds()))
                + ", interval " + Durations.format(r.interval()) + ", deadline " + Durations.format(r.deadline())
                + ", failed entries " + r.failedEntries()
                + (r.forkedFrom() == null ? "" : ", forked from " + r.forkedFrom())
                + (r.message() == null ? "" : " (" + r.message() + ")");
    }

    static ObjectNode json(RunInfo r) {
        ObjectNode o = Json.object();
        o.put("runId", r.runId());
        o.put("state", r.state().name().toLowerCase(Locale.ROOT));
        var agents = o.putArray("agents");
        r.agentIds().forEach(agents::add);
        o.put("cycles", r.cycles());
        o.put("intervalMillis", r.interval().toMillis());
        o.put("deadlineMillis", r.deadline().toMillis());
        o.put("completedCycles", r.completedCycles());
        o.put("failedEntries", r.failedEntries());
        o.put("startedAt", r.startedAt().toString());
        o.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
        o.put("message", r.message());
        o.put("forkedFrom", r.forkedFrom());
        return o;
    }

    /**
     * As {@link #json(RunInfo)}, with who holds the run's lease: {@code node} (null without a lease or a cluster),
     * and for a run another runtime holds the state as {@link #state} reads ({@code running} while its lease is
     * live), {@code leaseExpired} and {@code nodeAlive}.
     */
    static ObjectNode json(RunInfo r, Holder holder) {
        ObjectNode o = json(r);
        o.put("node", holder == null ? null : holder.node());
        if (elsewhere(r, holder)) {
            o.put("state", !holder.expired() ? "running" : r.state().name().toLowerCase(Locale.ROOT));
            o.put("leaseExpired", holder.expired());
            o.put("nodeAlive", holder.alive());
        }
        return o;
    }

    /** A run as most {@code cycle:} commands answer: its summary, or its JSON. */
    static CommandResult result(RunInfo r) {
        return CommandResult.of(summary(r), json(r));
    }

    /** @return the run's JSON with {@code snapshots}: each snapshot's whole tree */
    static ObjectNode json(RunInfo r, List<CycleSnapshot> snapshots) {
        return json(r, null, snapshots);
    }

    /** As {@link #json(RunInfo, List)}, with who holds the run's lease ({@link #json(RunInfo, Holder)}). */
    static ObjectNode json(RunInfo r, Holder holder, List<CycleSnapshot> snapshots) {
        ObjectNode o = json(r, holder);
        ArrayNode trees = o.putArray("snapshots");
        snapshots.forEach(s -> trees.add(CycleSnapshots.toTree(s)));
        return o;
    }

    static String cycleTable(List<CycleSnapshot> cycles) {
        Table t = new Table("CYCLE", "STATUS", "STARTED", "TOOK", "AGENTS", "FAILED");
        for (CycleSnapshot s : cycles) {
            long failed = s.agents().stream().filter(a -> a.error() != null).count();
            t.row(s.cycle(), s.status().name().toLowerCase(Locale.ROOT),
                    s.startedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                    Durations.format(Duration.between(s.startedAt(), s.endedAt())), s.agents().size(), failed);
        }
        return t.toString();
    }

    /** One line per cycle, for {@code --follow}: the cycle, then each agent's status and metrics. */
    static String cycleLine(RunInfo r, CycleSnapshot s) {
        String agents = s.agents().stream().map(RunViews::entryText).collect(Collectors.joining("; "));
        return String.format(Locale.ROOT, "%s cycle %d%s %s %s  %s", s.runId(), s.cycle(),
                r.cycles() == RunRequest.UNTIL_STOPPED ? "" : "/" + r.cycles(),
                s.status().name().toLowerCase(Locale.ROOT),
                Durations.format(Duration.between(s.startedAt(), s.endedAt())),
                agents.isEmpty() ? "(no agents)" : agents);
    }

    static String snapshotText(CycleSnapshot s) {
        StringBuilder b = new StringBuilder();
        b.append("cycle ").append(s.cycleId()).append(": ").append(s.status().name().toLowerCase(Locale.ROOT))
                .append(", ").append(s.startedAt()).append(" to ").append(s.endedAt()).append('\n');
        Table t = new Table("AGENT", "TYPE", "STATUS", "TOOK", "STATE", "METRICS", "ERROR");
        for (AgentEntry a : s.agents()) {
            t.row(a.agentId(), a.agentType(), a.status().name().toLowerCase(Locale.ROOT), a.durationMillis() + "ms",
                    a.stateDigest().substring(0, 12), metricsText(a), a.error());
        }
        b.append(t);
        for (AgentEntry a : s.agents()) {
            if (!a.outputs().isEmpty()) {
                b.append(a.agentId()).append(" outputs: ").append(a.outputs()).append('\n');
            }
        }
        return b.toString().stripTrailing();
    }

    private static String entryText(AgentEntry a) {
        String status = a.status().name().toLowerCase(Locale.ROOT);
        if (a.error() != null) {
            return a.agentId() + " " + status + " (" + a.error() + ")";
        }
        String metrics = metricsText(a);
        return a.agentId() + " " + status + (metrics.isEmpty() ? "" : " " + metrics);
    }

    private static String metricsText(AgentEntry a) {
        return a.metrics().entrySet().stream()
                .map(e -> e.getKey() + "=" + number(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
