package io.harmonix.agent.performance.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.TaskState;
import io.harmonix.workflow.api.WorkflowService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the runtime's telemetry into {@link Series}, one per component, oldest sample first, each in its pseudo file:
 * <ul>
 * <li>{@code telemetry/runner/<agentId>}: the agent's step durations over the retained cycles of every run, with
 * the run's deadline, failed and timed-out entries as failures;</li>
 * <li>{@code telemetry/runs/<runId>}: the run's cycle durations;</li>
 * <li>{@code telemetry/workflow/<workflow>/<task>}: the task's durations in finished instances, a task that needed
 * retries or failed as a failure;</li>
 * <li>{@code telemetry/propagator/<endpoint>}: delivery latency, retried, refused and dead-lettered attempts as
 * failures.</li>
 * </ul>
 * Every source is optional: a runtime without workflows or a propagator gives no series for them. The agent's own
 * entries are left out, and the durations of the cycles it was the slowest agent of: its step includes the JFR
 * recording it is asked for, which is not the runtime's cost.
 */
final class Telemetry {
    static final String RUNNER = "telemetry/runner/";
    static final String RUNS = "telemetry/runs/";
    static final String WORKFLOW = "telemetry/workflow/";
    static final String PROPAGATOR = "telemetry/propagator/";

    private final int keep;

    /** @param keep how many latest samples of each series to keep (2 N: the window tests look at no more) */
    Telemetry(int keep) {
        this.keep = keep;
    }

    /**
     * Step durations per agent and cycle durations per run, from the last 2N cycles of each of the latest
     * {@code runs} runs. Only those are asked for: a journaled runner reads older cycles from the database, and a
     * run that goes on until stopped has thousands.
     *
     * @param finished what was read of finished runs, by run and last cycle: they do not change, so a cycle reads
     *     from the runner only the runs that go on (the caller's, per agent instance; pruned here to the runs read)
     */
    List<Series> runner(CycleRunner runner, int runs, Map<String, List<Timed>> finished) {
        Map<String, List<Timed>> byAgent = new TreeMap<>();
        List<Series> out = new ArrayList<>();
        List<RunInfo> all = new ArrayList<>(runner.runs());
        all.sort(Comparator.comparing(RunInfo::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        java.util.Set<String> read = new java.util.HashSet<>();
        for (RunInfo run : all.subList(Math.max(0, all.size() - runs), all.size())) {
            String key = run.runId() + "\n" + run.lastCycle() + "\n" + keep;
            List<Timed> samples = run.state().finished() ? finished.get(key) : null;
            if (samples == null) {
                try {
                    samples = samples(run, runner.cycles(run.runId(), Math.max(0, run.lastCycle() - keep)));
                } catch (IllegalArgumentException gone) {
                    continue; // the run was removed between runs() and cycles(): nothing to read
                }
                if (run.state().finished()) {
                    finished.put(key, samples);
                }
            }
            read.add(key);
            Series.Builder cycles = new Series.Builder(RUNS + safe(run.runId()), "cycles of run " + run.runId());
            for (Timed t : samples) {
                if (t.agentId() == null) {
                    cycles.add(t.sample().millis(), 0, false);
                } else if (!t.agentType().equals(Analyser.TYPE)) {
                    byAgent.computeIfAbsent(t.agentId(), k -> new ArrayList<>()).add(t);
                }
            }
            out.add(trim(cycles.build()));
        }
        finished.keySet().retainAll(read);
        byAgent.forEach((agent, samples) -> out.add(series(RUNNER + safe(agent), "steps of agent " + agent,
                samples)));
        return out;
    }

    /** @return a run's cycles as samples: per cycle, one of the cycle (no agent), then one per agent entry */
    private static List<Timed> samples(RunInfo run, List<CycleSnapshot> snapshots) {
        double deadline = run.deadline() == null ? 0 : run.deadline().toMillis();
        List<Timed> out = new ArrayList<>();
        for (CycleSnapshot s : snapshots) {
            // a cycle this agent made the longest (its recording, say) tells of this agent, not of the runtime
            boolean ownTime = s.agents().stream().max(Comparator.comparingLong(AgentEntry::durationMillis))
                    .map(e -> e.agentType().equals(Analyser.TYPE)).orElse(false);
            if (!ownTime) {
                out.add(new Timed(s.startedAt(), null, "", new Series.Sample(
                        Duration.between(s.startedAt(), s.endedAt()).toMillis(), 0, false)));
            }
            for (AgentEntry e : s.agents()) {
                out.add(new Timed(s.startedAt(), e.agentId(), e.agentType(), new Series.Sample(e.durationMillis(),
                        deadline, e.status() != AgentStatus.OK)));
            }
        }
        return List.copyOf(out);
    }

    /** Task durations and retries per workflow and task, from the finished instances the engine keeps. */
    List<Series> workflows(WorkflowService workflows) {
        Map<String, List<Timed>> byTask = new TreeMap<>();
        for (InstanceInfo i : workflows.instances()) {
            if (!i.state().finished() || i.tasks() == null) {
                continue;
            }
            for (TaskInfo t : i.tasks()) {
                if (t.startedAt() == null || t.endedAt() == null || !t.state().terminal()) {
                    continue; // skipped or cancelled before it ran: no duration
                }
                boolean failed = t.attempts() > 1 || t.state() == TaskState.FAILED;
                byTask.computeIfAbsent(safe(i.workflow()) + "/" + safe(t.id()), k -> new ArrayList<>())
                        .add(new Timed(t.startedAt(), new Series.Sample(
                                Duration.between(t.startedAt(), t.endedAt()).toMillis(), 0, failed)));
            }
        }
        List<Series> out = new ArrayList<>();
        byTask.forEach((task, samples) -> out.add(series(WORKFLOW + task, "task " + task, samples)));
        return out;
    }

    /** Delivery latency and failures per endpoint, from the propagator's latest attempts. */
    List<Series> propagator(Propagator propagator) {
        List<Series> out = new ArrayList<>();
        for (Endpoint endpoint : propagator.endpoints()) {
            List<Timed> samples = new ArrayList<>();
            for (DeliveryAttempt a : propagator.attempts(endpoint.id(), keep)) {
                if (a.outcome() != DeliveryAttempt.Outcome.TEST) {
                    samples.add(new Timed(a.at(), new Series.Sample(a.latencyMillis(), 0,
                            a.outcome() != DeliveryAttempt.Outcome.DELIVERED)));
                }
            }
            out.add(series(PROPAGATOR + safe(endpoint.id()), "deliveries to endpoint " + endpoint.id(), samples));
        }
        return out;
    }

    private Series series(String file, String label, List<Timed> samples) {
        samples.sort(Comparator.comparing(Timed::at)); // stable: cycles of one run keep their order
        Series.Builder b = new Series.Builder(file, label);
        samples.forEach(t -> b.add(t.sample().millis(), t.sample().deadlineMillis(), t.sample().failed()));
        return trim(b.build());
    }

    private Series trim(Series s) {
        return new Series(s.file(), s.label(), s.last(keep));
    }

    /** @return a name fit for a path segment of a pseudo file (ids may hold ':' or '/') */
    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" : s;
    }

    /** A sample and when it was taken; of a runner's cycle, also the agent it is of (null: the whole cycle). */
    record Timed(Instant at, String agentId, String agentType, Series.Sample sample) {
        Timed(Instant at, Series.Sample sample) {
            this(at, null, "", sample);
        }
    }
}
