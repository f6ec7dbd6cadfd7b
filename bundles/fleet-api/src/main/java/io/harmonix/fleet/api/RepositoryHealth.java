package io.harmonix.fleet.api;

import java.time.Duration;
import java.time.Instant;

/**
 * A repository's health over a window, from its check records of kind {@code build} and {@code test}.
 *
 * @param name the repository
 * @param builds build checks in the window
 * @param buildsPassed of those, the ones that passed
 * @param tests test checks in the window
 * @param testsPassed of those, the ones that passed
 * @param lastSuccess when its newest passing check (build or test, any time) started; null when none passed
 * @param meanTimeToRecovery the mean time from a failing check to the next passing one, over the recoveries in the
 *     window; null when there was none
 * @param flaky commits on which a check failed, then passed (same kind, same commit)
 * @param consecutiveFailures failing checks since the newest passing one
 */
public record RepositoryHealth(String name, int builds, int buildsPassed, int tests, int testsPassed,
        Instant lastSuccess, Duration meanTimeToRecovery, int flaky, int consecutiveFailures) {

    /** @return the share of passing builds (0 to 1), or -1 without a build in the window */
    public double buildSuccessRate() {
        return builds == 0 ? -1 : (double) buildsPassed / builds;
    }

    /** @return the share of passing tests (0 to 1), or -1 without a test in the window */
    public double testSuccessRate() {
        return tests == 0 ? -1 : (double) testsPassed / tests;
    }
}
