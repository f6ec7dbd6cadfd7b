package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.harmonix.config.api.ConfigCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/**
 * The propagator's configuration as DS hands it to {@link PropagatorComponent} and {@link IngestComponent} (the
 * typed configuration built by the OSGi converter, which follows DS's rules).
 */
class PropagatorSettingsTest {
    static PropagatorComponent.Config config(Map<String, ?> properties) {
        return Converters.standardConverter().convert(properties).to(PropagatorComponent.Config.class);
    }

    static ConfigCheck.Result<PropagatorSettings> read(Map<String, ?> properties) {
        return PropagatorSettings.read(config(properties), properties);
    }

    @Test
    void anEmptyConfigurationGivesTheDeclaredDefaults() {
        PropagatorSettings s = read(Map.of()).orElseThrow();
        assertEquals(new PropagatorSettings("etc/registry.json", "etc/pulse.json", Map.of("schedule", "continuous"),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.2, 5, 5,
                Duration.ofSeconds(30), 1000, new IngestSettings("/harmonix/ingest", 1 << 20, 32, Duration.ofSeconds(10)),
                Duration.ofMinutes(5)), s);
        assertEquals("continuous", s.scheduleOf("e1"));
    }

    @Test
    void anEndpointScheduleOverridesTheScheduleOfAll() {
        PropagatorSettings s = read(Map.of("schedule", "*/10 * * * * ?", "schedule.e2", "continuous"))
                .orElseThrow();
        assertEquals("*/10 * * * * ?", s.scheduleOf("e1"));
        assertEquals("continuous", s.scheduleOf("e2"));
    }

    @Test
    void everyWrongValueIsNamedAndTheSettingsInForceStay() {
        AtomicReference<PropagatorSettings> inForce = new AtomicReference<>(read(Map.of("timeout", "3s",
                "retry.attempts", "7")).orElseThrow());
        PropagatorSettings before = inForce.get();
        List<String> log = new ArrayList<>();
        ConfigCheck.Result<PropagatorSettings> next = read(Map.of("timeout", "10parsecs", "retry.attempts", "9",
                "retry.jitter", "abc", "schedule.e1", "every day", "ingest.path", "harmonix"));
        assertFalse(next.applyOrReport(inForce::set, log::add));
        assertEquals(before, inForce.get());
        assertEquals(List.of("schedule.e1 = 'every day': expected 'continuous' or a cron expression of 5 fields "
                + "(minute hour day month weekday) or 6 (second first); it has 2",
                "timeout = '10parsecs' is not a duration: expected a number with a unit (ms, s, m, h, d), e.g. "
                        + "250ms, 2s, 1m30s, or ISO-8601 such as PT2S",
                "retry.jitter = 'abc': expected a number from 0.0 to 1.0",
                "ingest.path = 'harmonix': expected a path like /harmonix/ingest"), next.problems());
        assertEquals(1, log.size());
    }

    @Test
    void theIngestSettingsAreReadOnTheirOwnForTheServletThatMustOutliveThePropagator() {
        Map<String, String> props = Map.of("ingest.path", "/mesh/in", "ingest.maxBodyBytes", "65536",
                "ingest.maxConcurrentBodies", "4", "ingest.readTimeout", "2s", "timeout", "soon");
        assertEquals(new IngestSettings("/mesh/in", 65536, 4, Duration.ofSeconds(2)),
                IngestSettings.read(config(props), props).orElseThrow());
        assertEquals(List.of("ingest.path = 'x': expected a path like /harmonix/ingest"),
                IngestSettings.read(config(Map.of("ingest.path", "x")), Map.of("ingest.path", "x")).problems());
    }

    @Test
    void ingestLimitsOutOfTheirBoundsAreEachNamedAndRefuseTheWhole() {
        Map<String, String> props = Map.of("ingest.maxBodyBytes", "100000000", "ingest.maxConcurrentBodies", "0",
                "ingest.readTimeout", "1h");
        assertEquals(List.of("ingest.maxBodyBytes = '100000000': expected a whole number from 1024 to 16777216",
                "ingest.maxConcurrentBodies = '0': expected a whole number from 1 to 1024",
                "ingest.readTimeout = '1h': expected a duration from 100ms to 5m00s"), read(props).problems());
        assertEquals(3, IngestSettings.read(config(props), props).problems().size());
    }
}
