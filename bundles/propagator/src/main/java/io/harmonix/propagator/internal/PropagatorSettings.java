package io.harmonix.propagator.internal;

import io.harmonix.config.api.ConfigValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The propagator's configuration (PID {@value #PID}, {@code etc/io.harmonix.propagator.cfg}), checked as a whole:
 * {@link #parse} names every wrong property.
 *
 * @param registry path of registry.json (relative: to the runtime's home)
 * @param pulse path of pulse.json
 * @param schedules "schedule" (the default of every endpoint) and "schedule.ENDPOINT" entries
 * @param timeout per request (connect and answer)
 * @param initialDelay first retry delay
 * @param maxDelay longest retry delay (and longest Retry-After honoured)
 * @param multiplier growth of the delay per attempt (1 = fixed)
 * @param jitter fraction of the delay randomly added or taken off (0 to 1)
 * @param attempts attempts at a cycle an endpoint refuses (4xx other than 410 and 429) before it is dead-lettered
 * @param breakerFailures consecutive failed attempts (429, 5xx, timeout, no connection) that open the breaker
 * @param breakerCooldown how long an open breaker waits before one trial request
 * @param attemptsKept attempts kept per endpoint (older ones are deleted)
 * @param ingestPath path of the ingest servlet; a peer posts to PATH/PEER-ID
 * @param ingestTolerance how far a webhook-timestamp may be from now
 */
record PropagatorSettings(String registry, String pulse, Map<String, String> schedules, Duration timeout,
        Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int attempts, int breakerFailures,
        Duration breakerCooldown, int attemptsKept, String ingestPath, Duration ingestTolerance) {
    static final String PID = "io.harmonix.propagator";
    static final PropagatorSettings DEFAULTS = new PropagatorSettings("etc/registry.json", "etc/pulse.json",
            Map.of(), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.2, 5, 5,
            Duration.ofSeconds(30), 1000, "/harmonix/ingest", Duration.ofMinutes(5));

    String scheduleOf(String endpointId) {
        return schedules.getOrDefault("schedule." + endpointId, schedules.getOrDefault("schedule",
                Schedule.CONTINUOUS));
    }

    /** @throws IllegalArgumentException naming every wrong property */
    static PropagatorSettings parse(Map<String, ?> props) {
        List<String> errors = new ArrayList<>();
        PropagatorSettings d = DEFAULTS;
        Map<String, String> schedules = new HashMap<>();
        props.forEach((k, v) -> {
            if (k.equals("schedule") || k.startsWith("schedule.")) {
                try {
                    schedules.put(k, Schedule.parse(String.valueOf(v)).toString());
                } catch (IllegalArgumentException e) {
                    errors.add(k + " = " + e.getMessage());
                }
            }
        });
        String path = text(props, "ingest.path", d.ingestPath());
        if (!path.matches("(/[A-Za-z0-9._-]+)+")) {
            errors.add("ingest.path = '" + path + "': expected a path like /harmonix/ingest");
            path = d.ingestPath();
        }
        PropagatorSettings s = new PropagatorSettings(text(props, "registry", d.registry()),
                text(props, "pulse", d.pulse()), schedules,
                positive(ConfigValues.duration(props, "timeout", d.timeout(), errors), "timeout", d.timeout(), errors),
                ConfigValues.duration(props, "retry.initialDelay", d.initialDelay(), errors),
                ConfigValues.duration(props, "retry.maxDelay", d.maxDelay(), errors),
                decimal(props, "retry.multiplier", d.multiplier(), 1, 100, errors),
                decimal(props, "retry.jitter", d.jitter(), 0, 1, errors),
                (int) ConfigValues.wholeNumber(props, "retry.attempts", d.attempts(), 1, 1000, errors),
                (int) ConfigValues.wholeNumber(props, "breaker.failures", d.breakerFailures(), 1, 10_000, errors),
                ConfigValues.duration(props, "breaker.cooldown", d.breakerCooldown(), errors),
                (int) ConfigValues.wholeNumber(props, "attempts.kept", d.attemptsKept(), 10, 10_000_000, errors),
                path, ConfigValues.duration(props, "ingest.tolerance", d.ingestTolerance(), errors));
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return s;
    }

    private static String text(Map<String, ?> props, String key, String fallback) {
        Object v = props.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    private static Duration positive(Duration d, String key, Duration fallback, List<String> errors) {
        if (d.isZero() || d.isNegative()) {
            errors.add(key + " = " + d + ": expected more than 0");
            return fallback;
        }
        return d;
    }

    private static double decimal(Map<String, ?> props, String key, double fallback, double min, double max,
            List<String> errors) {
        Object raw = props.get(key);
        if (raw == null || raw.toString().isBlank()) {
            return fallback;
        }
        try {
            double v = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(raw.toString().trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(key + " = '" + raw + "': expected a number from " + min + " to " + max);
        return fallback;
    }
}
