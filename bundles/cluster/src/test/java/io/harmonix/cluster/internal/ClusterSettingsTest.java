package io.harmonix.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster's configuration: defaults, and every wrong value named. */
class ClusterSettingsTest {
    /** The typed configuration with its declared defaults, as DS hands it for an absent key. */
    private static final ClusterConfig DEFAULTS = new ClusterConfig() {
        @Override
        public Class<? extends Annotation> annotationType() {
            return ClusterConfig.class;
        }

        @Override
        public String leaseDuration() {
            return "30s";
        }

        @Override
        public String renewInterval() {
            return "10s";
        }
    };

    @Test
    void theDefaultsAreThirtySecondLeasesRenewedEveryTen() {
        ClusterSettings s = ClusterSettings.read(DEFAULTS, Map.of()).orElseThrow();
        assertEquals(new ClusterSettings(Duration.ofSeconds(30), Duration.ofSeconds(10)), s);
        assertEquals(new ClusterSettings(Duration.ofSeconds(4), Duration.ofSeconds(2)), ClusterSettings.read(DEFAULTS,
                Map.of("leaseDuration", "4s", "renewInterval", "2s")).orElseThrow());
    }

    @Test
    void wrongValuesAreNamedEachWithWhatWasExpected() {
        String refused = refusal(Map.of("leaseDuration", "1500ms", "renewInterval", "forever"));
        assertTrue(refused.contains("leaseDuration") && refused.contains("whole seconds"), refused);
        assertTrue(refused.contains("renewInterval") && refused.contains("forever"), refused);
        String tooSlow = refusal(Map.of("leaseDuration", "10s", "renewInterval", "6s"));
        assertTrue(tooSlow.contains("renewInterval") && tooSlow.contains("at most half of leaseDuration"), tooSlow);
    }

    private static String refusal(Map<String, String> properties) {
        try {
            ClusterSettings.read(DEFAULTS, properties).orElseThrow();
            throw new AssertionError("accepted: " + properties);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
