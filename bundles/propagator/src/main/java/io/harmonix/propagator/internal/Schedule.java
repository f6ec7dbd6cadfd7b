package io.harmonix.propagator.internal;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When an endpoint's worker delivers: {@code continuous} (as soon as a cycle is indexed) or at the fire times of a
 * cron expression, each time everything pending. Five fields are Unix cron (minute hour day month weekday); six
 * add seconds in front (second minute hour day month weekday), as Spring and Quartz write them.
 */
final class Schedule {
    static final String CONTINUOUS = "continuous";
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final String text;
    private final ExecutionTime cron;

    private Schedule(String text, ExecutionTime cron) {
        this.text = text;
        this.cron = cron;
    }

    /** @throws IllegalArgumentException saying what is wrong with the expression */
    static Schedule parse(String text) {
        String t = text == null ? CONTINUOUS : text.trim();
        if (t.isEmpty() || t.equals(CONTINUOUS)) {
            return new Schedule(CONTINUOUS, null);
        }
        int fields = t.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException("'" + t + "': expected 'continuous' or a cron expression of 5 fields "
                    + "(minute hour day month weekday) or 6 (second first); it has " + fields);
        }
        try {
            var cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(t);
            cron.validate();
            return new Schedule(t, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + t + "': " + e.getMessage());
        }
    }

    boolean continuous() {
        return cron == null;
    }

    /** @return the first fire time after {@code after} (far in the future when the expression never fires) */
    Instant next(Instant after) {
        return cron.nextExecution(ZonedDateTime.ofInstant(after, ZoneId.systemDefault()))
                .map(ZonedDateTime::toInstant).orElse(Instant.MAX);
    }

    @Override
    public String toString() {
        return text;
    }
}
