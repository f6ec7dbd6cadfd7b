package io.harmonix.fleet.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The record of one command run by the {@link SandboxExecutor}.
 *
 * @param id unique in this runtime's data, increasing
 * @param repository the repository's name
 * @param commit the full SHA the command ran on
 * @param kind what it was for ({@code build}, {@code test}, ...)
 * @param command the command
 * @param startedAt when it started
 * @param duration how long it ran
 * @param exitCode its exit status; null when it never ran or was killed
 * @param timedOut true when the time limit killed it
 * @param isolation the isolation applied
 * @param log its output (standard output and error interleaved), bounded (head and tail kept) and with secrets masked
 * @param logTruncated true when some output was left out of {@code log}
 * @param error null, or why it could not run (the commit does not exist, the worktree could not be made, isolation
 *     refused, ...)
 */
public record CheckRecord(long id, String repository, String commit, String kind, String command,
        Instant startedAt, Duration duration, Integer exitCode, boolean timedOut, Isolation isolation, String log,
        boolean logTruncated, String error) {

    /** @return true when the command ran to the end and exited with 0 */
    public boolean passed() {
        return error == null && !timedOut && exitCode != null && exitCode == 0;
    }
}
