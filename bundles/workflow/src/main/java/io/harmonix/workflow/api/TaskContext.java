package io.harmonix.workflow.api;

import java.time.Instant;
import java.util.Map;

/**
 * One attempt of a task, as its handler sees it.
 *
 * @param instanceId the workflow instance
 * @param taskId the task's id in its definition
 * @param component the task's component
 * @param action the task's action
 * @param input the task's input, its expressions evaluated
 * @param attempt 1 for the first attempt, then 2, 3...
 * @param deadline when the attempt times out (null: no timeout)
 * @param idempotencyKey the same for every attempt of this task (and this item of a for_each, this iteration of a
 *     repeat) in this instance: a handler with effects outside can use it to do them once
 */
public record TaskContext(String instanceId, String taskId, String component, String action,
        Map<String, Object> input, int attempt, Instant deadline, String idempotencyKey) {
    /**
     * An input the handler cannot do without: one rule and one message for every handler.
     *
     * @param name the input's name
     * @return its value
     * @throws IllegalArgumentException when it is missing or null, saying which: {@code "component/action: input
     *     'name' is required"}
     */
    public Object required(String name) {
        Object value = input == null ? null : input.get(name);
        if (value == null) {
            throw new IllegalArgumentException(component + "/" + action + ": input '" + name + "' is required");
        }
        return value;
    }
}
