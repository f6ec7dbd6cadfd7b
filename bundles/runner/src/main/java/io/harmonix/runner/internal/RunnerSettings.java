package io.harmonix.runner.internal;

import io.harmonix.config.api.ConfigValues;
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
        int pool = (int) ConfigValues.wholeNumber(props, "poolSize", DEFAULTS.poolSize, 1, 256, errors);
        int history = (int) ConfigValues.wholeNumber(props, "historySize", DEFAULTS.historySize, 1, 100_000, errors);
        Duration deadline = ConfigValues.duration(props, "defaultDeadline", DEFAULTS.defaultDeadline, errors);
        if (deadline.isZero() || deadline.isNegative()) {
            errors.add("defaultDeadline = '" + props.get("defaultDeadline") + "': expected a positive duration");
        }
        boolean resume = ConfigValues.bool(props, "resumeOnStart", DEFAULTS.resumeOnStart, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(PID + ": " + String.join("; ", errors));
        }
        return new RunnerSettings(pool, deadline, history, resume);
    }
}
