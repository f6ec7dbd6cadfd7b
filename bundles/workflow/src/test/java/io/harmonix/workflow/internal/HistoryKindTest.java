package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.workflow.api.TaskState;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The history kinds are stored in Derby by name: those names are a format, and histories written before read back. */
class HistoryKindTest {
    @Test
    void theStoredNamesAreTheOnesHistoriesHaveAlwaysUsed() {
        assertEquals(List.of("instance.started", "task.started", "attempt.failed", "task.succeeded", "task.failed",
                "task.skipped", "task.cancelled", "item.succeeded", "iteration.succeeded", "instance.retried",
                "instance.paused", "instance.resumed", "instance.cancelled", "instance.finished"),
                Arrays.stream(HistoryKind.values()).map(HistoryKind::key).toList());
        for (HistoryKind k : HistoryKind.values()) {
            assertEquals(Optional.of(k), HistoryKind.of(k.key()));
        }
        assertTrue(HistoryKind.of("task.teleported").isEmpty(), "a kind of a later version is not one of these");
    }

    @Test
    void aTaskEndIsRecordedAndReadBackAsTheStateItEndedIn() {
        for (TaskState s : List.of(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.SKIPPED, TaskState.CANCELLED)) {
            HistoryKind k = HistoryKind.taskEnded(s);
            assertEquals("task." + s.name().toLowerCase(java.util.Locale.ROOT), k.key());
            assertEquals(Optional.of(s), k.endedState());
        }
        assertThrows(IllegalArgumentException.class, () -> HistoryKind.taskEnded(TaskState.RUNNING));
        assertTrue(HistoryKind.TASK_STARTED.endedState().isEmpty());
    }
}
