package io.harmonix.proposals.internal;

import io.harmonix.enhance.api.GitCommand;
import io.harmonix.enhance.api.GitCommand.Answer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * git on a repository's refs and private worktrees: never its main branch, never its own working tree. Run by
 * {@link GitCommand} (hooks and fsmonitor off), with an identity of its own so that commits do not depend on the
 * runtime user's configuration, and no signing.
 */
final class GitCli {
    static final String NAME = "Harmonix";
    static final String EMAIL = "harmonix@localhost";

    private GitCli() {
    }

    /** Runs git in {@code dir}; @return its output @throws IOException with git's message when it fails */
    static String git(Path dir, String... args) throws IOException {
        return git(dir, null, Map.of(), args);
    }

    static String git(Path dir, String input, Map<String, String> env, String... args) throws IOException {
        Answer r = run(dir, input, env, args);
        if (!r.ok()) {
            throw new IOException("git " + args[0] + " failed in " + dir + ": " + r.message());
        }
        return r.out();
    }

    /**
     * Runs git in {@code dir} with {@code input} (null: none) on its standard input and {@code env} added, committing
     * as Harmonix; the exit status is the caller's to judge. Killed after two minutes.
     */
    static Answer run(Path dir, String input, Map<String, String> env, String... args) throws IOException {
        List<String> withIdentity = new ArrayList<>(List.of("-c", "user.name=" + NAME, "-c", "user.email=" + EMAIL,
                "-c", "commit.gpgsign=false"));
        withIdentity.addAll(List.of(args));
        return GitCommand.run(dir, input, env, Duration.ofSeconds(120), withIdentity.toArray(String[]::new));
    }
}
