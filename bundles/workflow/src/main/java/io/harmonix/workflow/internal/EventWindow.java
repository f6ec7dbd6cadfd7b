package io.harmonix.workflow.internal;

import java.time.Duration;

/**
 * How long, and how many per correlation key (the event's subject), events are kept for {@code event/wait} tasks
 * that had not started waiting when they were published. The defaults are here, and only here; configuration PID
 * {@code io.harmonix.workflow} ({@link WorkflowConfig}) may change them.
 *
 * @param age how long an event is kept
 * @param perKey how many events of one subject are kept (the oldest goes first)
 */
record EventWindow(Duration age, int perKey) {
    static final String DEFAULT_AGE = "5m";
    static final int DEFAULT_PER_KEY = 100;
    static final EventWindow DEFAULT = new EventWindow(Duration.ofMinutes(5), DEFAULT_PER_KEY);

    EventWindow {
        if (age.isNegative() || perKey < 0) {
            throw new IllegalArgumentException("event window: age and count must not be negative");
        }
    }
}
