package io.harmonix.fleet.api;

import java.time.Duration;
import java.util.List;

/**
 * What a fleet build did with one repository.
 *
 * @param name the repository
 * @param outcome how it ended (or where it stands)
 * @param commit the full SHA it built (resolved once when the build started), or null when it was not resolved
 * @param reason why it failed, was blocked, not built or skipped; null when it was built
 * @param checks the ids of the check records of its builds and tests (retries included), oldest first
 * @param duration the time its checks took, together
 * @param flaky true when a check failed and passed on a retry of the same commit (it then counts as built)
 * @param breakingCommit for a repository that failed every retry: the first failing commit since its last green
 *     one, found by bisection; null when not located
 */
public record RepositoryOutcome(String name, Outcome outcome, String commit, String reason, List<Long> checks,
        Duration duration, boolean flaky, BreakingCommit breakingCommit) {
    public RepositoryOutcome {
        checks = List.copyOf(checks == null ? List.of() : checks);
        duration = duration == null ? Duration.ZERO : duration;
    }

    /** How a repository's part of a fleet build ended. */
    public enum Outcome {
        /** waiting for its dependencies or a free slot */
        PENDING,
        /** building or testing now */
        RUNNING,
        /** its build and tests passed (perhaps on a retry: see {@code flaky}) */
        BUILT,
        /** its build or tests failed on every attempt */
        FAILED,
        /** in a dependency cycle, or depending on one: never started */
        BLOCKED,
        /** a dependency failed or was not built, or it has no build command */
        NOT_BUILT,
        /** not affected since the ref asked for: nothing to do */
        SKIPPED;

        /** @return true once it will not change any more */
        public boolean ended() {
            return this != PENDING && this != RUNNING;
        }

        /** @return true when the repository ended without being built, though it was asked for */
        public boolean unsuccessful() {
            return this == FAILED || this == BLOCKED || this == NOT_BUILT;
        }
    }

    /**
     * The commit that broke a repository.
     *
     * @param commit its full SHA
     * @param author its author's name
     * @param subject its subject line
     * @param lastGreen the last commit whose build and tests passed, where the search started
     * @param checks the check records of the bisection, oldest first
     */
    public record BreakingCommit(String commit, String author, String subject, String lastGreen, List<Long> checks) {
        public BreakingCommit {
            checks = List.copyOf(checks);
        }
    }
}
