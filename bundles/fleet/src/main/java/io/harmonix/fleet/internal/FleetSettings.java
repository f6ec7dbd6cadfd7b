package io.harmonix.fleet.internal;

import io.harmonix.config.api.ConfigCheck;
import io.harmonix.config.api.CronSchedule;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fleet's configuration (PID {@value #PID}, {@code etc/io.harmonix.fleet.cfg}), checked as a whole. The
 * catalogue uses roots, depth, manifest and schedule; the build settings (maxParallel, retries, failureThreshold,
 * healthWindow) are declared here so that one file configures the fleet, and are read by the fleet's builds.
 *
 * @param roots folders whose git repositories are discovered (relative: to the runtime's home)
 * @param depth how deep under a root repositories are looked for (a root's own folders are depth 1)
 * @param manifest the manifest (relative: to the runtime's home); absent is fine
 * @param schedule when discovery runs by itself; null: only on {@code repo:discover}
 * @param gitTimeout how long one git command of discovery may take before it is stopped (a git blocked on a
 *     stalled disk or a FIFO in a repository must not block discovery for ever)
 */
record FleetSettings(List<String> roots, int depth, String manifest, CronSchedule schedule, int maxParallel,
        int retryAttempts, Duration retryBackoff, int failureThreshold, Duration healthWindow, Duration gitTimeout) {
    static final String PID = "io.harmonix.fleet";
    private static final Pattern ANY = Pattern.compile("[^\\n]*");

    static FleetSettings defaults() {
        return new FleetSettings(List.of(), 2, "etc/repositories.json", null, 2, 2, Duration.ofSeconds(5), 3,
                Duration.ofDays(7), Duration.ofSeconds(30));
    }

    static ConfigCheck.Result<FleetSettings> read(FleetComponent.Config config, java.util.Map<String, ?> properties) {
        ConfigCheck check = new ConfigCheck(PID, properties);
        // no roots is a fleet of the manifest's repositories only
        List<String> roots = Arrays.stream(check.text("roots", config::roots, ANY, "folders, comma-separated")
                .split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        int depth = check.wholeNumber("depth", config::depth, 0, 20);
        String manifest = check.text("manifest", config::manifest);
        if (manifest.isBlank()) {
            check.problem("manifest", "a path (etc/repositories.json by default)");
        }
        CronSchedule schedule = check.parsed("schedule", config::schedule,
                s -> s.isBlank() ? null : CronSchedule.parse(s));
        int maxParallel = check.wholeNumber("maxParallel", config::maxParallel, 1, 256);
        int retryAttempts = check.wholeNumber("retryAttempts", config::retryAttempts, 0, 100);
        Duration retryBackoff = check.duration("retryBackoff", config::retryBackoff);
        int failureThreshold = check.wholeNumber("failureThreshold", config::failureThreshold, 1, 1000);
        Duration healthWindow = check.positiveDuration("healthWindow", config::healthWindow);
        Duration gitTimeout = check.positiveDuration("gitTimeout", config::gitTimeout);
        return check.result(() -> new FleetSettings(roots, depth, manifest, schedule, maxParallel, retryAttempts,
                retryBackoff, failureThreshold, healthWindow, gitTimeout));
    }
}
