package io.harmonix.agent.workflow.internal;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.TaskState;
import io.harmonix.workflow.api.WorkflowService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The finished instances of one definition (name and version: an instance keeps the version it started with) and
 * what they say about each task: how often it needed retries, how long one attempt takes, whether it ran at all,
 * and which chain of tasks decided each instance's time.
 *
 * @param instances the finished instances, newest first
 */
record History(List<InstanceInfo> instances) {
    /**
     * @param window how many of the newest finished instances to keep
     * @return the finished instances of {@code name} {@code version} the service keeps
     */
    static History of(WorkflowService workflows, String name, String version, int window) {
        return new History(workflows.instances().stream()
                .filter(i -> i.workflow().equals(name) && i.version().equals(version) && i.endedAt() != null)
                .sorted(Comparator.comparing(InstanceInfo::startedAt).reversed())
                .limit(Math.max(1, window)).toList());
    }

    /** @return the task in each instance that has it */
    List<TaskInfo> runs(String task) {
        List<TaskInfo> out = new ArrayList<>();
        for (InstanceInfo i : instances) {
            i.tasks().stream().filter(t -> t.id().equals(task)).findFirst().ifPresent(out::add);
        }
        return out;
    }

    /**
     * The times of the task's attempts that one attempt covers alone: runs that succeeded at their first attempt
     * (a run with retries also holds the failed attempts and the waits between them, so it says nothing of one
     * attempt).
     */
    List<Duration> singleAttemptTimes(String task) {
        return runs(task).stream().filter(t -> t.state() == TaskState.SUCCEEDED && t.attempts() == 1
                && t.startedAt() != null && t.endedAt() != null)
                .map(t -> Duration.between(t.startedAt(), t.endedAt())).toList();
    }

    /** @return the p-th percentile (0-100, nearest rank) of the durations; they must not be empty */
    static Duration percentile(List<Duration> durations, double p) {
        List<Duration> sorted = durations.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /**
     * The critical path of an instance: from the task that ended last, back through the dependency that ended last
     * each time (the one the task waited for), to a task with none.
     *
     * @return the path, first task first; empty when no task of the instance ran
     */
    static List<TaskInfo> criticalPath(InstanceInfo instance, TaskGraph graph) {
        Map<String, TaskInfo> ran = new HashMap<>();
        instance.tasks().stream().filter(t -> t.startedAt() != null && t.endedAt() != null)
                .forEach(t -> ran.put(t.id(), t));
        Optional<TaskInfo> last = ran.values().stream().max(Comparator.comparing(TaskInfo::endedAt));
        List<TaskInfo> path = new ArrayList<>();
        for (TaskInfo at = last.orElse(null); at != null; ) {
            path.add(0, at);
            at = graph.deps(at.id()).stream().map(ran::get).filter(t -> t != null)
                    .max(Comparator.comparing(TaskInfo::endedAt)).orElse(null);
            if (at != null && path.contains(at)) {
                break; // a cycle in an invalid definition: stop rather than loop
            }
        }
        return path;
    }

    /** @return the time a task took, from its first attempt's start to its end */
    static Duration took(TaskInfo t) {
        return Duration.between(t.startedAt(), t.endedAt());
    }
}
