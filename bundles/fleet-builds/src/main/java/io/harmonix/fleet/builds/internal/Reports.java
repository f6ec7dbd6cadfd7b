package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.BuildReport;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fleet build's report from what is kept: its plan, the outcomes its tasks stored, and its workflow instance for
 * the repositories that have none yet (pending, running) or never will (not built because a dependency failed).
 */
final class Reports {
    private Reports() {
    }

    /** @param instance the build's instance, or null when it had nothing to build */
    static BuildReport of(Plan plan, InstanceInfo instance, List<RepositoryOutcome> stored, Instant now) {
        Map<String, RepositoryOutcome> byName = new TreeMap<>();
        plan.settled().forEach(o -> byName.put(o.name(), o));
        stored.forEach(o -> byName.put(o.name(), o));
        for (String name : plan.built()) { // level order: a dependency's outcome is known before its dependents'
            if (byName.containsKey(name)) {
                continue;
            }
            String commit = plan.jobs().get(name).commit();
            TaskInfo task = instance == null ? null : instance.tasks().stream()
                    .filter(t -> t.id().equals(plan.tasks().get(name))).findFirst().orElse(null);
            byName.put(name, switch (task == null ? io.harmonix.workflow.api.TaskState.PENDING : task.state()) {
                case PENDING -> outcome(name, Outcome.PENDING, commit, null);
                case RUNNING -> outcome(name, Outcome.RUNNING, commit, null);
                case SKIPPED -> outcome(name, Outcome.NOT_BUILT, commit, notBuilt(plan, name, byName));
                case CANCELLED -> outcome(name, Outcome.NOT_BUILT, commit, "not built: the build was cancelled");
                case FAILED -> outcome(name, Outcome.FAILED, commit, task.reason());
                case SUCCEEDED -> outcome(name, Outcome.BUILT, commit, null);
            });
        }
        List<RepositoryOutcome> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparing(RepositoryOutcome::name));
        Instant end = instance == null ? plan.startedAt() : instance.endedAt() == null ? now : instance.endedAt();
        return new BuildReport(instance == null ? null : instance.id(), state(instance, all), plan.startedAt(),
                Duration.between(plan.startedAt(), end), plan.affectedSince(), plan.parallel(), plan.levels(), all,
                plan.unknown());
    }

    private static String notBuilt(Plan plan, String name, Map<String, RepositoryOutcome> known) {
        for (String dependency : plan.dependencies().get(name)) {
            RepositoryOutcome d = known.get(dependency);
            if (d != null && d.outcome() == Outcome.FAILED) {
                return "not built: depends on " + dependency + ", which failed";
            }
            if (d != null && d.outcome() != Outcome.BUILT) {
                return "not built: depends on " + dependency + ", which is not built";
            }
        }
        return "not built";
    }

    private static String state(InstanceInfo instance, List<RepositoryOutcome> outcomes) {
        if (instance != null && !instance.state().finished()) {
            return "running";
        }
        if (instance != null && instance.state() == InstanceState.CANCELLED) {
            return "cancelled";
        }
        return outcomes.stream().anyMatch(o -> o.outcome().unsuccessful()) ? "failed" : "succeeded";
    }

    private static RepositoryOutcome outcome(String name, Outcome outcome, String commit, String reason) {
        return new RepositoryOutcome(name, outcome, commit, reason, List.of(), null, false, null);
    }
}
