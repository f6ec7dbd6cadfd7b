package io.harmonix.runner.internal;

import io.harmonix.config.api.ConfigCheck;
import java.time.Duration;
import java.util.Map;

/**
 * The runner's settings (PID {@value #PID}), read by {@link #read}: every wrong value is named with what was
 * expected.
 *
 * @param poolSize threads that call agents, shared by all runs
 * @param defaultDeadline an agent's deadline per cycle when a run names none
 * @param historySize snapshots kept in memory per run for {@code cycle:show}
 * @param resumeOnStart whether runs interrupted by a stop of the runtime go on when the runner starts
 */
public record RunnerSettings(int poolSize, Duration defaultDeadline, int historySize, boolean resumeOnStart) {
    public static final String PID = "io.harmonix.runner";

    /**
     * Reads the runner's configuration as a whole (see {@link ConfigCheck}): the settings, or every wrong property
     * named with what was expected. Absent keys take the defaults declared in {@link RunnerConfig}.
     */
    static ConfigCheck.Result<RunnerSettings> read(RunnerConfig config, Map<String, ?> properties) {
        ConfigCheck check = new ConfigCheck(PID, properties);
        int pool = check.wholeNumber("poolSize", config::poolSize, 1, 256);
        Duration deadline = check.positiveDuration("defaultDeadline", config::defaultDeadline);
        int history = check.wholeNumber("historySize", config::historySize, 1, 100_000);
        boolean resume = check.bool("resumeOnStart", config::resumeOnStart);
        return check.result(() -> new RunnerSettings(pool, deadline, history, resume));
    }
}
