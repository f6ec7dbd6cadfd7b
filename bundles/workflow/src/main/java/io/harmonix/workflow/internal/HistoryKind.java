package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.TaskState;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds of entry in an instance's history. Each is stored (in Derby) and shown (by {@code wf:history}) as its
 * {@link #key()}, the name the history has always used, so that histories written before still read back.
 */
enum HistoryKind {
    INSTANCE_STARTED("instance.started"),
    TASK_STARTED("task.started"),
    ATTEMPT_FAILED("attempt.failed"),
    TASK_SUCCEEDED("task.succeeded"),
    TASK_FAILED("task.failed"),
    TASK_SKIPPED("task.skipped"),
    TASK_CANCELLED("task.cancelled"),
    ITEM_SUCCEEDED("item.succeeded"),
    ITERATION_SUCCEEDED("iteration.succeeded"),
    INSTANCE_RETRIED("instance.retried"),
    INSTANCE_PAUSED("instance.paused"),
    INSTANCE_RESUMED("instance.resumed"),
    INSTANCE_CANCELLED("instance.cancelled"),
    INSTANCE_FINISHED("instance.finished");

    private static final Map<String, HistoryKind> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(HistoryKind::key, Function.identity()));

    private final String key;

    HistoryKind(String key) {
        this.key = key;
    }

    /** @return the kind's name as stored and shown */
    String key() {
        return key;
    }

    /** @return the kind stored as {@code key}, or empty for a kind this version does not know */
    static Optional<HistoryKind> of(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** @return the kind recording that a task ended in {@code state} (a final state) */
    static HistoryKind taskEnded(TaskState state) {
        return switch (state) {
            case SUCCEEDED -> TASK_SUCCEEDED;
            case FAILED -> TASK_FAILED;
            case SKIPPED -> TASK_SKIPPED;
            case CANCELLED -> TASK_CANCELLED;
            case PENDING, RUNNING -> throw new IllegalArgumentException("a task does not end " + state);
        };
    }

    /** @return the state a task ended in, for a kind recording an end; empty for the other kinds */
    Optional<TaskState> endedState() {
        return switch (this) {
            case TASK_SUCCEEDED -> Optional.of(TaskState.SUCCEEDED);
            case TASK_FAILED -> Optional.of(TaskState.FAILED);
            case TASK_SKIPPED -> Optional.of(TaskState.SKIPPED);
            case TASK_CANCELLED -> Optional.of(TaskState.CANCELLED);
            default -> Optional.empty();
        };
    }
}
