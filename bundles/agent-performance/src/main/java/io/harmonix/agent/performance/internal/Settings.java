package io.harmonix.agent.performance.internal;

/**
 * What an instance of the agent looks for, from its configuration; one value, swapped whole, so that a cycle never
 * runs with half of an updated configuration.
 *
 * @param window N: the last N samples of a series are tested against the N before them; also how many JVM samples
 *     the agent keeps in its state
 * @param alpha significance level of the tests (one-sided)
 * @param minSlowdown smallest median slowdown (0.1 = 10 %) reported, however significant
 * @param deadlineShare share of the run's deadline (0-1) that a component's p95 may not exceed
 * @param memoryGrowth rise of the heap after GC across the window (0.2 = 20 %) that, monotonic, is a finding
 * @param jfrSeconds length of a JFR recording made each cycle; 0: none
 * @param topFrames how many hottest methods and allocation sites a recording reports
 * @param runs how many of the runner's latest runs are read
 */
record Settings(int window, double alpha, double minSlowdown, double deadlineShare, double memoryGrowth,
        int jfrSeconds, int topFrames, int runs) {
    /** Fewest samples before a p95 is judged against a deadline. */
    static final int MIN_P95_SAMPLES = 5;

    Settings {
        check(window >= 3, "window", window, "at least 3 (a rank test on fewer samples cannot reach significance)");
        check(alpha > 0 && alpha < 1, "alpha", alpha, "between 0 and 1 (exclusive)");
        check(minSlowdown >= 0, "minSlowdown", minSlowdown, "0 or more");
        check(deadlineShare > 0 && deadlineShare <= 1, "deadlineShare", deadlineShare, "more than 0, at most 1");
        check(memoryGrowth > 0, "memoryGrowth", memoryGrowth, "more than 0");
        check(jfrSeconds >= 0 && jfrSeconds <= 60, "jfrSeconds", jfrSeconds, "between 0 and 60");
        check(topFrames >= 1, "topFrames", topFrames, "at least 1");
        check(runs >= 1, "runs", runs, "at least 1");
    }

    /** The defaults of the configuration. */
    static Settings defaults() {
        return new Settings(20, 0.01, 0.10, 0.8, 0.2, 0, 10, 10);
    }

    private static void check(boolean ok, String field, Object was, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(PerformanceAgent.PID + ": " + field + " must be " + expected
                    + "; was " + was);
        }
    }
}
