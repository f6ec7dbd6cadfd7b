package io.harmonix.agent.workflow.internal;

/**
 * What an instance of the agent looks for, from its configuration; one value, swapped whole, so that a cycle never
 * runs with half of an updated configuration.
 *
 * @param analyseFiles look at the workflow definitions among the target's YAML files
 * @param analyseDeployed look at the definitions deployed in the runtime (latest version of each)
 * @param window how many of the latest finished instances of a definition make its history
 * @param minInstances fewest instances (or samples) before a statistic (retries, p95) is trusted
 * @param retryShare share of instances (0-1) with retries above which a task is a retry hotspot
 * @param timeoutFarAbove a timeout more than this many times the p95 is too loose
 * @param timeoutTooClose a timeout less than this many times the p95 is too tight
 * @param neverReached instances in a row a task must not have run in to be reported
 */
record Settings(boolean analyseFiles, boolean analyseDeployed, int window, int minInstances, double retryShare,
        double timeoutFarAbove, double timeoutTooClose, int neverReached) {
    Settings {
        check(window >= 1, "historyWindow", window, "at least 1");
        check(minInstances >= 1, "minInstances", minInstances, "at least 1");
        check(retryShare >= 0 && retryShare <= 1, "retryShare", retryShare, "between 0 and 1");
        check(timeoutFarAbove > 1, "timeoutFarAbove", timeoutFarAbove, "more than 1");
        check(timeoutTooClose >= 1 && timeoutTooClose < timeoutFarAbove, "timeoutTooClose", timeoutTooClose,
                "at least 1 and less than timeoutFarAbove");
        check(neverReached >= 1, "neverReachedInstances", neverReached, "at least 1");
    }

    /** The defaults of the configuration. */
    static Settings defaults() {
        return new Settings(true, true, 100, 5, 0.2, 10, 1.2, 20);
    }

    private static void check(boolean ok, String field, Object was, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("io.harmonix.agent.workflow: " + field + " must be " + expected
                    + "; was " + was);
        }
    }
}
