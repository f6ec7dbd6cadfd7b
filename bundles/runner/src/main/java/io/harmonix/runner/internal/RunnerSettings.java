package io.harmonix.runner.internal;

import io.harmonix.shell.api.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runner's settings (PID {@value #PID}), checked: every wrong value is named with what was expected.
 *
 * @param poolSize threads that call agents, shared by all runs
 * @param defaultDeadline an agent's deadline per cycle when a run names none
 * @param historySize snapshots kept in memory per run for {@code cycle:show}
 * @param resumeOnStart whether runs interrupted by a stop of the runtime go on when the runner starts
 */
public record RunnerSettings(int poolSize, Duration defaultDeadline, int historySize, boolean resumeOnStart) {
    public static final String PID = "io.harmonix.runner";
    public static final RunnerSettings DEFAULTS = new RunnerSettings(8, Duration.ofSeconds(30), 100, true);

    /** As {@link #DEFAULTS}, with these three. */
    public RunnerSettings(int poolSize, Duration defaultDeadline, int historySize) {
        this(poolSize, defaultDeadline, historySize, DEFAULTS.resumeOnStart);
    }

    /**
     * Reads settings from configuration properties (strings from {@code etc/*.cfg} or typed values); missing
     * properties keep their defaults.
     *
     * @throws IllegalArgumentException listing every wrong property
     */
    public static RunnerSettings parse(Map<String, ?> props) {
        List<String> errors = new ArrayList<>();
        int pool = intIn(props, "poolSize", DEFAULTS.poolSize, 1, 256, errors);
        int history = intIn(props, "historySize", DEFAULTS.historySize, 1, 100_000, errors);
        Duration deadline = DEFAULTS.defaultDeadline;
        Object raw = props.get("defaultDeadline");
        if (raw != null) {
            try {
                deadline = Durations.parse(raw.toString());
                if (deadline.isZero()) {
                    errors.add("defaultDeadline = '" + raw + "': expected a positive duration");
                }
            } catch (IllegalArgumentException e) {
                errors.add("defaultDeadline = " + e.getMessage());
            }
        }
        boolean resume = DEFAULTS.resumeOnStart;
        Object rawResume = props.get("resumeOnStart");
        if (rawResume instanceof Boolean b) {
            resume = b;
        } else if (rawResume != null) {
            String v = rawResume.toString().trim().toLowerCase(java.util.Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                resume = Boolean.parseBoolean(v);
            } else {
                errors.add("resumeOnStart = '" + rawResume + "': expected true or false");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(PID + ": " + String.join("; ", errors));
        }
        return new RunnerSettings(pool, deadline, history, resume);
    }

    private static int intIn(Map<String, ?> props, String key, int fallback, int min, int max, List<String> errors) {
        Object raw = props.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            int v = raw instanceof Number n ? n.intValue() : Integer.parseInt(raw.toString().trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(key + " = '" + raw + "': expected a whole number from " + min + " to " + max);
        return fallback;
    }
}
