package io.harmonix.workflow.api;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of an instance's append-only history.
 *
 * @param sequence its position in the instance's history, from 1
 * @param at when it happened
 * @param kind instance.started, task.started, attempt.failed, task.succeeded, task.failed, task.skipped,
 *     task.cancelled, instance.paused, instance.resumed, instance.cancelled, instance.finished
 * @param task the task it is about, or null
 * @param data what it carries (output, reason, attempt, state...)
 */
public record HistoryEvent(long sequence, Instant at, String kind, String task, Map<String, Object> data) {
}
