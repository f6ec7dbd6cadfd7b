package io.harmonix.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etc/io.harmonix.fleet.cfg read as a whole: the declared defaults, a full file, and every wrong value named. */
class FleetSettingsTest {
    /** The typed configuration with the defaults its annotation declares, as DS hands it for an absent file. */
    private static final FleetComponent.Config DECLARED = new FleetComponent.Config() {
        @Override
        public Class<? extends Annotation> annotationType() {
            return FleetComponent.Config.class;
        }

        @Override
        public String roots() {
            return "";
        }

        @Override
        public int depth() {
            return 2;
        }

        @Override
        public String manifest() {
            return "etc/repositories.json";
        }

        @Override
        public String schedule() {
            return "";
        }

        @Override
        public int maxParallel() {
            return 2;
        }

        @Override
        public int retryAttempts() {
            return 2;
        }

        @Override
        public String retryBackoff() {
            return "5s";
        }

        @Override
        public int failureThreshold() {
            return 3;
        }

        @Override
        public String healthWindow() {
            return "7d";
        }

        @Override
        public String gitTimeout() {
            return "30s";
        }
    };

    @Test
    void noFileGivesTheDefaultsTheDocsList() {
        FleetSettings s = FleetSettings.read(DECLARED, Map.of()).orElseThrow();
        assertEquals(FleetSettings.defaults(), s);
        assertEquals(List.of(), s.roots());
        assertNull(s.schedule(), "no scheduled discovery");
    }

    @Test
    void aFullFileIsRead() {
        FleetSettings s = FleetSettings.read(DECLARED, Map.of("roots", " repos , /srv/git ", "depth", "3",
                "schedule", "0 */15 * * * *", "maxParallel", "4", "retryBackoff", "1m", "healthWindow", "30d",
                "gitTimeout", "2m"))
                .orElseThrow();
        assertEquals(List.of("repos", "/srv/git"), s.roots());
        assertEquals(3, s.depth());
        assertEquals("0 */15 * * * *", s.schedule().toString());
        assertEquals(4, s.maxParallel());
        assertEquals(Duration.ofMinutes(1), s.retryBackoff());
        assertEquals(Duration.ofDays(30), s.healthWindow());
        assertEquals(Duration.ofMinutes(2), s.gitTimeout());
    }

    @Test
    void everyWrongValueIsNamedAndNothingIsApplied() {
        var r = FleetSettings.read(DECLARED, Map.of("depth", "deep", "schedule", "every minute", "healthWindow",
                "0s", "maxParallel", "0", "manifest", " ", "gitTimeout", "0s"));
        assertFalse(r.accepted());
        String why = r.refusal();
        assertTrue(why.contains("depth = 'deep'"), why);
        assertTrue(why.contains("schedule = 'every minute': expected a cron expression of 5 fields"), why);
        assertTrue(why.contains("healthWindow = '0s': expected a duration of more than 0"), why);
        assertTrue(why.contains("maxParallel = '0'"), why);
        assertTrue(why.contains("manifest = ' '"), why);
        assertTrue(why.contains("gitTimeout = '0s': expected a duration of more than 0"), why);
    }
}
