package io.harmonix.fleet.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs a repository's command in a private worktree of an exact commit, isolated, with a time limit, every process
 * it started killed at the end; stores and returns the {@link CheckRecord}. Everything that runs a repository's
 * commands (fleet builds, validation of proposals, the autonomy controller's checks) goes through it.
 */
@ProviderType
public interface SandboxExecutor {
    /**
     * Runs the command and waits for it. Never throws for a failing command: the record says how it ended. The
     * calling thread's interrupt kills the command (the record then says so in {@code error}).
     *
     * @return the stored record
     * @throws IllegalArgumentException for a request that names no repository at {@code source}
     */
    CheckRecord execute(ExecutionRequest request);

    /** @return the strongest isolation this machine allows (what the next command will get) */
    Isolation isolation();
}
