package io.harmonix.workflow.api;

import java.time.Instant;
import java.util.Map;

/**
 * An event, with the attribute names of CloudEvents 1.0.
 *
 * @param id unique id
 * @param source who published it (e.g. harmonix.runner, workflow:wf-1234)
 * @param type what happened, dotted (e.g. harmonix.cycle.completed)
 * @param time when it was published
 * @param subject what it is about (a run id, a file...), or null
 * @param data its payload (JSON-like)
 */
public record Event(String id, String source, String type, Instant time, String subject, Map<String, Object> data) {
    /** The CloudEvents specversion these events follow. */
    public static final String SPEC_VERSION = "1.0";
}
