package io.harmonix.fleet.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run in a private worktree of one commit of a repository.
 *
 * @param repository the repository's name (the check record names it)
 * @param source the repository's path: a working tree or a bare repository
 * @param commit a commit id or anything git resolves to one ({@code HEAD}, a branch); the check records the full SHA
 * @param kind what the run is for: {@code build}, {@code test}, {@code verify}, ... (recorded, shown)
 * @param command run with {@code /bin/sh -c} in the worktree's top folder
 * @param timeout wall-clock limit; null for the executor's configured limit
 * @param environment variables the command gets besides the executor's fixed few ({@code PATH}, {@code HOME} = the
 *     scratch folder, {@code LANG}); nothing of the runtime's own environment passes
 */
public record ExecutionRequest(String repository, String source, String commit, String kind, String command,
        Duration timeout, Map<String, String> environment) {
    public ExecutionRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(command, "command");
        environment = Map.copyOf(environment == null ? Map.of() : environment);
    }
}
