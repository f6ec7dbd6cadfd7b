package io.harmonix.agent.workflow.internal;

import io.harmonix.agent.workflow.internal.WorkflowYaml.Dep;
import io.harmonix.agent.workflow.internal.WorkflowYaml.Span;
import io.harmonix.agent.workflow.internal.WorkflowYaml.Task;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Rule;
import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The analysis of one workflow definition with its history: the graph findings (redundant edges, needless
 * sequencing) from the text alone, the others from the finished instances of the same name and version.
 */
final class Analyser {
    static final String TYPE = "workflow";

    private final Settings settings;
    private final WorkflowService workflows;

    Analyser(Settings settings, WorkflowService workflows) {
        this.settings = settings;
        this.workflows = workflows;
    }

    /**
     * What one definition gives, added to {@code findings} and {@code proposals}.
     *
     * @param d the definition; its file is the location of the findings
     * @param component the target's component the file is in
     * @param proposals where proposals go, or null when the file is not one of the target's (a deployed definition
     *     known by its text only: there is nothing to apply a diff to)
     */
    void analyse(WorkflowYaml d, String component, Proposals proposer, List<Finding> findings,
            List<Proposal> proposals) {
        Out out = new Out(d, component, proposer, findings, d.text().endsWith("\n") ? proposals : null);
        TaskGraph graph = TaskGraph.of(d);
        for (Task t : d.tasks().values()) {
            edges(out, graph, t);
        }
        History history = History.of(workflows, d.name(), d.version(), settings.window());
        for (Task t : d.tasks().values()) {
            retries(out, history, t);
            timeout(out, history, t);
            neverReached(out, history, t);
        }
        criticalPath(out, history, graph);
    }

    private void edges(Out out, TaskGraph graph, Task t) {
        String wf = out.d.name();
        for (Dep dep : t.deps()) {
            if (dep.at() == null) {
                continue;
            }
            Optional<List<String>> via = graph.redundancy(t.id(), dep.task());
            if (via.isPresent()) {
                String path = String.join(" -> ", via.get());
                boolean plain = !t.conditional() && via.get().stream().map(out.d.tasks()::get)
                        .noneMatch(x -> x == null || x.conditional());
                Finding f = out.add(Rules.REDUNDANT, plain ? Risk.LOW : Risk.MEDIUM, dep.at(),
                        "task '" + t.id() + "' depends on '" + dep.task() + "', which it already waits for through "
                                + path + (plain ? "" : "; a `when` or `join` on the way may make the edge matter when "
                                + "a branch is skipped, check before removing it"),
                        "depends_on of " + t.id() + ": " + t.depIds() + "; path " + path,
                        wf + " " + t.id() + " depends_on " + dep.task() + " redundant");
                List<String> kept = new ArrayList<>(t.depIds());
                kept.remove(dep.task());
                out.propose(f, YamlEdits.setDeps(out.d, t, kept), "Remove redundant dependency " + t.id() + " -> "
                        + dep.task() + " of workflow " + wf);
            } else if (!t.compensation() && !t.reads().contains(dep.task())) {
                List<String> instead = graph.depsWithout(t.id(), dep.task(), t.reads());
                Finding f = out.add(Rules.NEEDLESS, Risk.MEDIUM, dep.at(),
                        "task '" + t.id() + "' waits for '" + dep.task() + "' but never reads its output, state or "
                                + "error: they could run in parallel, unless the wait is there for a side effect of '"
                                + dep.task() + "' (a file, a call) that the workflow does not show",
                        "depends_on of " + t.id() + ": " + t.depIds() + "; it reads " + sorted(t.reads()),
                        wf + " " + t.id() + " waits for " + dep.task());
                out.propose(f, YamlEdits.setDeps(out.d, t, instead), "Let " + t.id() + " run without waiting for "
                        + dep.task() + " in workflow " + wf);
            }
        }
    }

    private void retries(Out out, History history, Task t) {
        if (t.retryAt() == null) {
            return; // one attempt only: nothing is retried
        }
        int ran = 0;
        int retried = 0;
        int maxAttempts = 0;
        for (InstanceInfo i : history.instances()) {
            Optional<TaskInfo> run = i.tasks().stream().filter(x -> x.id().equals(t.id()) && x.startedAt() != null)
                    .findFirst();
            if (run.isEmpty()) {
                continue;
            }
            ran++;
            maxAttempts = Math.max(maxAttempts, run.get().attempts());
            retried += retried(out, i, run.get(), t) ? 1 : 0;
        }
        if (ran >= settings.minInstances() && retried > settings.retryShare() * ran) {
            out.add(Rules.RETRY, Risk.LOW, t.retryAt(), String.format(Locale.ROOT,
                    "task '%s' needed retries in %d of its %d latest instances (%.0f%%, more than %.0f%%)",
                    t.id(), retried, ran, 100.0 * retried / ran, 100 * settings.retryShare()),
                    "retried in " + retried + "/" + ran + " instances; most attempts in one: " + maxAttempts,
                    out.d.name() + " " + t.id() + " retry hotspot");
        }
    }

    /**
     * Whether the task's run needed a retry: an {@code attempt.failed} entry in the instance's history when the
     * engine keeps one; else more than one attempt (not for a loop, whose attempts count every item).
     */
    private boolean retried(Out out, InstanceInfo i, TaskInfo run, Task t) {
        List<HistoryEvent> events = out.events.computeIfAbsent(i.id(), workflows::history);
        if (!events.isEmpty()) {
            return events.stream().anyMatch(e -> "attempt.failed".equals(e.kind()) && t.id().equals(e.task()));
        }
        return !t.loop() && run.attempts() > 1;
    }

    private void timeout(Out out, History history, Task t) {
        if (t.timeout() == null || t.timeoutAt() == null || t.loop()) {
            return; // a loop's timeout is per item or iteration: the task's time says nothing of it
        }
        Duration timeout;
        try {
            timeout = io.harmonix.config.api.Durations.parse(t.timeout());
        } catch (IllegalArgumentException e) {
            return; // the validator reports it
        }
        List<Duration> times = history.singleAttemptTimes(t.id());
        if (times.size() < settings.minInstances()) {
            return;
        }
        Duration p95 = History.percentile(times, 95);
        if (p95.isZero()) {
            return;
        }
        double ratio = (double) timeout.toNanos() / p95.toNanos();
        String evidence = String.format(Locale.ROOT, "timeout: %s; p95 of %d single-attempt runs: %s (%.1fx)",
                t.timeout(), times.size(), human(p95), ratio);
        String wf = out.d.name();
        // the fix aims between the two limits (their geometric mean: 3.5x with the defaults), so that rounding up
        // to a round figure keeps it inside them
        double fit = Math.sqrt(settings.timeoutTooClose() * settings.timeoutFarAbove());
        String better = human(Duration.ofNanos((long) (p95.toNanos() * fit)));
        String advice = String.format(Locale.ROOT, "about %.1fx the p95 (%s)", fit, better);
        if (ratio > settings.timeoutFarAbove()) {
            Finding f = out.add(Rules.TIMEOUT_LOOSE, Risk.LOW, t.timeoutAt(), String.format(Locale.ROOT,
                    "task '%s' has a timeout of %s, %.0f times the p95 of its attempts (%s): a hung attempt waits "
                            + "that long; %s is enough", t.id(), t.timeout(), ratio, human(p95), advice), evidence,
                    wf + " " + t.id() + " timeout " + t.timeout() + " far above p95");
            out.propose(f, YamlEdits.setTimeout(out.d, t, better), "Lower the timeout of " + t.id() + " to " + better);
        } else if (ratio < settings.timeoutTooClose()) {
            Finding f = out.add(Rules.TIMEOUT_TIGHT, Risk.LOW, t.timeoutAt(), String.format(Locale.ROOT,
                    "task '%s' has a timeout of %s, only %.2f times the p95 of its successful attempts (%s): slow "
                            + "but normal attempts are cut; %s leaves room", t.id(), t.timeout(), ratio, human(p95),
                    advice), evidence, wf + " " + t.id() + " timeout " + t.timeout() + " close to p95");
            out.propose(f, YamlEdits.setTimeout(out.d, t, better), "Raise the timeout of " + t.id() + " to " + better);
        }
    }

    private void neverReached(Out out, History history, Task t) {
        int n = settings.neverReached();
        if (history.instances().size() < n) {
            return;
        }
        boolean ranOnce = history.instances().subList(0, n).stream().flatMap(i -> i.tasks().stream())
                .anyMatch(x -> x.id().equals(t.id()) && x.startedAt() != null);
        if (!ranOnce) {
            out.add(Rules.NEVER_REACHED, Risk.MEDIUM, t.at(), "task '" + t.id() + "' did not run in any of the "
                    + n + " latest instances: a branch never taken, or a task left over",
                    "not started in " + n + " of " + n + " instances", out.d.name() + " " + t.id() + " never reached");
        }
    }

    private void criticalPath(Out out, History history, TaskGraph graph) {
        List<Double> shares = new ArrayList<>();
        List<Double> parallel = new ArrayList<>();
        List<TaskInfo> newest = null;
        for (InstanceInfo i : history.instances()) {
            if (i.state() != InstanceState.SUCCEEDED) {
                continue;
            }
            List<TaskInfo> path = History.criticalPath(i, graph);
            long total = Duration.between(i.startedAt(), i.endedAt()).toNanos();
            if (path.isEmpty() || total <= 0) {
                continue;
            }
            newest = newest == null ? path : newest;
            shares.add(path.stream().mapToLong(x -> History.took(x).toNanos()).sum() / (double) total);
            parallel.add(i.tasks().stream().filter(x -> x.startedAt() != null && x.endedAt() != null)
                    .mapToLong(x -> History.took(x).toNanos()).sum() / (double) total);
        }
        if (newest == null) {
            return;
        }
        String path = newest.stream().map(TaskInfo::id).collect(Collectors.joining(" -> "));
        out.add(Rules.CRITICAL, Risk.LOW, out.d.nameAt(), String.format(Locale.ROOT,
                "critical path of %s: %s, %.0f%% of the instance's time; the tasks' times add up to %.2fx the "
                        + "instance's time (medians of %d instances)", out.d.name(), path, 100 * median(shares),
                median(parallel), shares.size()),
                "newest instance's critical path: " + newest.stream().map(x -> x.id() + " " + human(History.took(x)))
                        .collect(Collectors.joining(", ")), out.d.name() + " critical path");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<String> sorted(java.util.Set<String> s) {
        return s.stream().sorted().toList();
    }

    /**
     * A duration as the workflow format writes it, rounded up to a round figure: milliseconds under a second,
     * then whole seconds, minutes, hours (rounding up keeps a proposed timeout at or above what was asked for).
     */
    static String human(Duration d) {
        long ms = Math.max(1, (d.toNanos() + 999_999) / 1_000_000);
        if (ms < 1_000) {
            return ms + "ms";
        }
        long s = (ms + 999) / 1_000;
        if (s < 120) {
            return s + "s";
        }
        long m = (s + 59) / 60;
        return m < 120 ? m + "m" : (m + 59) / 60 + "h";
    }

    /** Where one definition's findings and proposals go, with what they all share. */
    private final class Out {
        final WorkflowYaml d;
        final String component;
        final Proposals proposer;
        final List<Finding> findings;
        final List<Proposal> proposals;
        /** Each instance's history, read once for all the tasks of the definition. */
        final Map<String, List<HistoryEvent>> events = new HashMap<>();

        Out(WorkflowYaml d, String component, Proposals proposer, List<Finding> findings, List<Proposal> proposals) {
            this.d = d;
            this.component = component;
            this.proposer = proposer;
            this.findings = findings;
            this.proposals = proposals;
        }

        Finding add(Rule rule, Risk risk, Span at, String message, String evidence, String snippet) {
            Span where = at == null ? d.nameAt() : at;
            Location location = new Location(d.file(), where.line(), where.column(),
                    where.endLine(), Math.max(0, where.endColumn() - 1));
            Finding f = Finding.of(TYPE, rule.id(), rule.severity(), risk, component, location, message, evidence,
                    snippet);
            findings.add(f);
            return f;
        }

        void propose(Finding f, String changed, String title) {
            if (proposals != null && proposer != null) {
                proposer.of(d, changed, f.fingerprint(), title, "removes a finding of rule " + f.ruleId())
                        .ifPresent(proposals::add);
            }
        }
    }
}
