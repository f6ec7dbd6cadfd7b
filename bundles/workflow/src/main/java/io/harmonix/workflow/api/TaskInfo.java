package io.harmonix.workflow.api;

import java.time.Instant;
import java.util.Map;

/**
 * A task of an instance.
 *
 * @param id the task's id
 * @param state where it stands
 * @param attempts attempts made (over every item or iteration)
 * @param startedAt when its first attempt began, or null
 * @param endedAt when it reached its final state, or null
 * @param output its output when it succeeded, else null
 * @param reason why it failed or was skipped, else null
 */
public record TaskInfo(String id, TaskState state, int attempts, Instant startedAt, Instant endedAt,
        Map<String, Object> output, String reason) {
}
