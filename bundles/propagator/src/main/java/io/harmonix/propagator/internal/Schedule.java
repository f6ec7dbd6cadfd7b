package io.harmonix.propagator.internal;

import io.harmonix.config.api.CronSchedule;
import java.time.Instant;

/**
 * When an endpoint's worker delivers: {@code continuous} (as soon as a cycle is indexed) or at the fire times of a
 * cron expression ({@link CronSchedule}: 5 fields Unix cron, 6 with seconds first), each time everything pending.
 */
final class Schedule {
    static final String CONTINUOUS = "continuous";

    private final String text;
    private final CronSchedule cron;

    private Schedule(String text, CronSchedule cron) {
        this.text = text;
        this.cron = cron;
    }

    /** @throws IllegalArgumentException saying what is wrong with the expression */
    static Schedule parse(String text) {
        String t = text == null ? CONTINUOUS : text.trim();
        if (t.isEmpty() || t.equals(CONTINUOUS)) {
            return new Schedule(CONTINUOUS, null);
        }
        try {
            CronSchedule cron = CronSchedule.parse(t);
            return new Schedule(cron.toString(), cron);
        } catch (IllegalArgumentException e) {
            // the one other value this setting takes is named in the answer too
            throw new IllegalArgumentException(e.getMessage().replace("expected a cron expression",
                    "expected 'continuous' or a cron expression"), e);
        }
    }

    boolean continuous() {
        return cron == null;
    }

    /** @return the first fire time after {@code after} (far in the future when the expression never fires) */
    Instant next(Instant after) {
        return cron.next(after);
    }

    @Override
    public String toString() {
        return text;
    }
}
