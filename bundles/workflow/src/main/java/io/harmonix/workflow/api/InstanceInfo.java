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
}
