package io.harmonix.propagator.internal;

import io.harmonix.config.api.ConfigCheck;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The propagator's configuration (PID {@value #PID}, {@code etc/io.harmonix.propagator.cfg}), checked as a whole:
 * {@link #read} names every wrong property.
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
 * @param ingest path and limits of the ingest endpoint
 * @param ingestTolerance how far a webhook-timestamp may be from now
 */
record PropagatorSettings(String registry, String pulse, Map<String, String> schedules, Duration timeout,
        Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int attempts, int breakerFailures,
        Duration breakerCooldown, int attemptsKept, IngestSettings ingest, Duration ingestTolerance) {
    static final String PID = "io.harmonix.propagator";

    String scheduleOf(String endpointId) {
        return schedules.getOrDefault("schedule." + endpointId, schedules.get("schedule"));
    }

    /**
     * Reads the propagator's configuration as a whole (see {@link ConfigCheck}): the settings, or every wrong
     * property named with what was expected. Absent keys take the defaults declared in
     * {@link PropagatorComponent.Config}; a {@code schedule.<endpoint>} key, which it cannot declare, is the
     * endpoint's own schedule.
     */
    static ConfigCheck.Result<PropagatorSettings> read(PropagatorComponent.Config config, Map<String, ?> properties) {
        ConfigCheck check = new ConfigCheck(PID, properties);
        String registry = check.text("registry", config::registry);
        String pulse = check.text("pulse", config::pulse);
        Map<String, String> schedules = new HashMap<>();
        schedules.put("schedule", schedule(check, "schedule", config::schedule));
        for (String key : new TreeSet<>(properties.keySet())) {
            if (key.startsWith("schedule.")) {
                schedules.put(key, schedule(check, key, () -> ""));
            }
        }
        Duration timeout = check.positiveDuration("timeout", config::timeout);
        Duration initialDelay = check.duration("retry.initialDelay", config::retry_initialDelay);
        Duration maxDelay = check.duration("retry.maxDelay", config::retry_maxDelay);
        double multiplier = check.decimal("retry.multiplier", config::retry_multiplier, 1, 100);
        double jitter = check.decimal("retry.jitter", config::retry_jitter, 0, 1);
        int attempts = check.wholeNumber("retry.attempts", config::retry_attempts, 1, 1000);
        int breakerFailures = check.wholeNumber("breaker.failures", config::breaker_failures, 1, 10_000);
        Duration breakerCooldown = check.duration("breaker.cooldown", config::breaker_cooldown);
        int attemptsKept = check.wholeNumber("attempts.kept", config::attempts_kept, 10, 10_000_000);
        IngestSettings ingest = IngestSettings.read(check, config);
        Duration ingestTolerance = check.duration("ingest.tolerance", config::ingest_tolerance);
        return check.result(() -> new PropagatorSettings(registry, pulse, Map.copyOf(schedules), timeout,
                initialDelay, maxDelay, multiplier, jitter, attempts, breakerFailures, breakerCooldown, attemptsKept,
                ingest, ingestTolerance));
    }

    private static String schedule(ConfigCheck check, String key, Supplier<String> declared) {
        Schedule s = check.parsed(key, declared, Schedule::parse);
        return s == null ? null : s.toString();
    }
}
