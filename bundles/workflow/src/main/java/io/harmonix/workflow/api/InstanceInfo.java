package io.harmonix.workflow.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workflow instance.
 *
 * @param id its id
 * @param workflow the definition's name
 * @param version the definition's version it runs (a later deploy does not change it)
 * @param state where it stands
 * @param startedAt when it started
 * @param endedAt when it ended, or null
 * @param input its input (defaults applied)
 * @param output its output when it succeeded, else null
 * @param tasks its tasks, in definition order
 * @param error why it failed, or null
 */
public record InstanceInfo(String id, String workflow, String version, InstanceState state, Instant startedAt,
        Instant endedAt, Map<String, Object> input, Map<String, Object> output, List<TaskInfo> tasks, String error) {
    /**
     * Whether it succeeded although tasks failed: failures its definition tolerated ({@code on_failure: continue}).
     * Derived from the tasks' states, so instances recorded by older versions answer too.
     *
     * @return true when it succeeded and a task of it failed
     * @since 1.3
     */
    public boolean succeededWithFailures() {
        return state == InstanceState.SUCCEEDED && tasks != null
                && tasks.stream().anyMatch(t -> t.state() == TaskState.FAILED);
    }
}
