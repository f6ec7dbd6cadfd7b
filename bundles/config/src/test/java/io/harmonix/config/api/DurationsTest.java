package io.harmonix.config.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void durationsReadHowPeopleWriteThem() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofHours(2), Durations.parse(" 2h "));
        assertEquals(Duration.ofSeconds(2), Durations.parse("PT2S"));
        for (String bad : new String[] {"", "fast", "10", "5 s", "1s2", "ms", "-1s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
            assertTrue(e.getMessage().contains("is not a duration: expected a number with a unit"), e.getMessage());
        }
    }

    @Test
    void aDurationPastTenYearsIsATypoAndSaidSoNotAnOverflowLater() {
        assertEquals(Duration.ofDays(3650), Durations.parse("3650d"));
        for (String tooLong : new String[] {"100000000h", "9999999999999d", "3651d", "99999999999999999999s",
            "PT100000000H"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(tooLong));
            assertEquals("'" + tooLong + "' is too long a duration: at most 3650d", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT-1S"));
    }

    @Test
    void durationsPrintShort() {
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("2m05s", Durations.format(Duration.ofSeconds(125)));
        assertEquals("1h01m", Durations.format(Duration.ofSeconds(3660)));
    }
}
