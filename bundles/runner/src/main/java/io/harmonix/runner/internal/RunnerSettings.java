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
 * @param maxRuns the most runs this runtime drives at once, 0 for no limit: a run started beyond them is offered
 *     (to the runtimes sharing the database, this one included, whichever has room first)
 * @param claimInterval how often runs no live runtime holds (offered, or left by a runtime that died) are looked for
 */
public record RunnerSettings(int poolSize, Duration defaultDeadline, int historySize, boolean resumeOnStart,
        int maxRuns, Duration claimInterval) {
    public static final String PID = "io.harmonix.runner";
    /** The default of {@link #claimInterval}, as the workflow engine's. */
    public static final Duration CLAIM_INTERVAL = Duration.ofSeconds(1);

    /** Settings without a limit of runs (every run starts where it is asked for), claims every second. */
    public RunnerSettings(int poolSize, Duration defaultDeadline, int historySize, boolean resumeOnStart) {
        this(poolSize, defaultDeadline, historySize, resumeOnStart, 0, CLAIM_INTERVAL);
    }

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
        int maxRuns = check.wholeNumber("maxRuns", config::maxRuns, 0, 100_000);
        Duration claims = check.positiveDuration("claimInterval", config::claimInterval);
        return check.result(() -> new RunnerSettings(pool, deadline, history, resume, maxRuns, claims));
    }
}
