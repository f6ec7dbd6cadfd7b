package io.harmonix.config.api;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * A cron expression and its fire times, as the settings of several engines write them (the propagator's delivery
 * schedules, the fleet's discovery). Five fields are Unix cron (minute hour day month weekday); six add seconds in
 * front (second minute hour day month weekday), as Spring and Quartz write them. Fire times are taken in the
 * system's time zone. cron-utils does the work; it is embedded in this bundle, so no engine wires to it.
 */
public final class CronSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final String text;
    private final ExecutionTime cron;

    private CronSchedule(String text, ExecutionTime cron) {
        this.text = text;
        this.cron = cron;
    }

    /**
     * @param text a cron expression of 5 or 6 fields (surrounding blanks ignored)
     * @throws IllegalArgumentException quoting the expression and saying what is wrong with it (the message then
     *     says "expected a cron expression of 5 fields ..." when the number of fields is wrong)
     */
    public static CronSchedule parse(String text) {
        String t = text == null ? "" : text.trim();
        int fields = t.isEmpty() ? 0 : t.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException("'" + t + "': expected a cron expression of 5 fields "
                    + "(minute hour day month weekday) or 6 (second first); it has " + fields);
        }
        try {
            var cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(t);
            cron.validate();
            return new CronSchedule(t, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + t + "': " + e.getMessage());
        }
    }

    /**
     * @return the first fire time strictly after {@code after}, on a whole second ({@link Instant#MAX} when it never
     *     fires)
     */
    public Instant next(Instant after) {
        // cron-utils keeps the fraction of a second it is given: 10:00:59.999 would fire at 10:01:00.999
        return cron.nextExecution(ZonedDateTime.ofInstant(after.truncatedTo(ChronoUnit.SECONDS), ZoneId.systemDefault()))
                .map(ZonedDateTime::toInstant).orElse(Instant.MAX);
    }

    /** @return the expression as given, trimmed */
    @Override
    public String toString() {
        return text;
    }
}
