package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The join of a task whose dependencies have all ended: by its join (all, any, one) and the way its dependencies
 * ended, whether it may run (its {@code when} is looked at next) or how it ends without running. A dependency that
 * failed but is tolerated ({@code on_failure: continue}) counts as having run for a join all, and as not having
 * succeeded for the others.
 */
final class Joins {
    private Joins() {
    }

    /** How a task ends without running, and why. */
    record Verdict(TaskState state, String reason) {
    }

    /**
     * @param tasks the instance's tasks, by id
     * @return empty when {@code t} may run, else how it ends
     */
    static Optional<Verdict> verdict(TaskRun t, Map<String, TaskRun> tasks) {
        if (t.task.dependsOn().isEmpty()) {
            return Optional.empty();
        }
        int succeeded = 0;
        int settled = 0;
        List<String> winners = new ArrayList<>();
        String failedDep = null;
        for (String d : t.task.dependsOn()) {
            TaskRun dep = tasks.get(d);
            if (dep.state == TaskState.SUCCEEDED) {
                succeeded++;
                settled++;
                winners.add(d);
            } else if (dep.state == TaskState.FAILED && dep.task.tolerated()) {
                settled++;
            } else if (dep.state == TaskState.FAILED && failedDep == null) {
                failedDep = d;
            }
        }
        return switch (t.task.join()) {
            case ALL -> {
                if (failedDep != null) {
                    yield skipped("dependency " + failedDep + " failed");
                }
                yield settled == 0 ? skipped("no dependency ran (branch not taken)") : Optional.empty();
            }
            case ANY -> succeeded == 0 ? skipped("join any: no dependency succeeded") : Optional.empty();
            case ONE -> {
                if (succeeded > 1) {
                    yield Optional.of(new Verdict(TaskState.FAILED, "join one: " + succeeded
                            + " dependencies succeeded (" + String.join(", ", winners) + "); exactly one may"));
                }
                yield succeeded == 0 ? skipped("join one: no dependency succeeded") : Optional.empty();
            }
        };
    }

    private static Optional<Verdict> skipped(String reason) {
        return Optional.of(new Verdict(TaskState.SKIPPED, reason));
    }
}
