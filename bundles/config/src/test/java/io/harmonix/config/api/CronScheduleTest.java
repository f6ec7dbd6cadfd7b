package io.harmonix.config.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final Instant T = Instant.parse("2026-11-21T10:02:30Z");

    @Test
    void fiveFieldsAreUnixCronAndSixPutSecondsFirst() {
        Instant next = CronSchedule.parse(" */5 * * * * ").next(T);
        assertEquals(0, next.atZone(ZoneId.systemDefault()).getMinute() % 5);
        assertTrue(next.isAfter(T) && next.isBefore(T.plusSeconds(301)), next.toString());
        assertEquals(T.plusSeconds(1), CronSchedule.parse("* * * * * ?").next(T));
        assertEquals(T.plusSeconds(10), CronSchedule.parse("*/20 * * * * *").next(T));
        assertEquals("*/5 * * * *", CronSchedule.parse(" */5 * * * * ").toString());
        assertEquals(T, CronSchedule.parse("* * * * * *").next(T.minusMillis(500)),
                "on the whole second, not a fraction after it");
    }

    @Test
    void aWrongExpressionIsQuotedWithWhatWasExpected() {
        String fields = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("every minute"))
                .getMessage();
        assertEquals("'every minute': expected a cron expression of 5 fields (minute hour day month weekday) or 6 "
                + "(second first); it has 2", fields);
        String range = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 * * * *"))
                .getMessage();
        assertTrue(range.startsWith("'61 * * * *': "), range);
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(null));
    }
}
