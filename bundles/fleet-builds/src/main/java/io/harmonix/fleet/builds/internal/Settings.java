package io.harmonix.fleet.builds.internal;

import io.harmonix.config.api.Durations;
import java.time.Duration;

/**
 * The build and health settings, checked: what {@link FleetConfig} holds, or what a test chooses.
 *
 * @param maxParallel default parallelism of a fleet build, at least 1
 * @param retries retries of a failing check on the same commit, 0 or more (attempts: one more)
 * @param retryBackoff wait before the first retry (doubled at each further one)
 * @param failureThreshold failing checks in a row that raise the unhealthy event, at least 1
 * @param healthWindow the default window of health figures
 */
record Settings(int maxParallel, int retries, Duration retryBackoff, int failureThreshold,
        Duration healthWindow) {
    Settings {
        atLeastOne("maxParallel", maxParallel);
        if (retries < 0) {
            throw new IllegalArgumentException(FleetConfig.PID + " retryAttempts: must be 0 or more; was " + retries);
        }
        atLeastOne("failureThreshold", failureThreshold);
    }

    static Settings of(FleetConfig config) {
        return new Settings(config.maxParallel(), config.retryAttempts(),
                duration("retryBackoff", config.retryBackoff()), config.failureThreshold(),
                duration("healthWindow", config.healthWindow()));
    }

    /** @return attempts of a check in all: the first and the retries */
    int attempts() {
        return retries + 1;
    }

    private static Duration duration(String key, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FleetConfig.PID + " " + key + ": " + e.getMessage(), e);
        }
    }

    private static void atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(FleetConfig.PID + " " + key + ": must be 1 or more; was " + value);
        }
    }
}
