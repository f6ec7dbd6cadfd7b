package io.harmonix.autonomy.internal.change;

import io.harmonix.enhance.api.GitCommand;
import io.harmonix.enhance.api.GitCommand.Answer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * git on one repository, run by {@link GitCommand} (hooks and fsmonitor off, input and output through files, a bound
 * on the wait), with no system or global configuration, so that a command never depends on the runtime user's
 * settings (signing, hooks, identity).
 */
final class Git {
    /** The all-zero id: as the expected old value of update-ref, "the ref must not exist". */
    static final String ZERO = "0".repeat(40);
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /**
     * The ref of the repository's main branch, from configuration and never from HEAD: a feature branch checked out
     * or a detached HEAD in the user's working tree must not decide what the controller opens changes on, verifies
     * against and ships to. The fleet's manifest has no default-branch field (adding one to the exported {@code
     * Repository} record would be a major version of {@code io.harmonix.fleet.api}), so it is {@value #MAIN} for
     * every repository of the fleet.
     */
    static final String MAIN = "refs/heads/main";

    private final Path repository;

    Git(Path repository) {
        this.repository = repository;
    }

    Path repository() {
        return repository;
    }

    /** @return git's output, stripped @throws IOException with git's message when it fails */
    String call(String... args) throws IOException {
        return call(Map.of(), null, args);
    }

    String call(Map<String, String> env, String stdin, String... args) throws IOException {
        Answer a = answer(env, stdin, args);
        if (!a.ok()) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + repository + ": "
                    + a.message());
        }
        return a.out().strip();
    }

    /** @return git's output as it is (not stripped: a diff's last line matters) @throws IOException when it fails */
    String answerOrThrow(String... args) throws IOException {
        Answer a = answer(Map.of(), null, args);
        if (!a.ok()) {
            throw new IOException("git " + args[0] + " failed in " + repository + ": " + a.message());
        }
        return a.out();
    }

    /** Runs git, its configuration files ignored; the exit status is the caller's to judge. */
    Answer answer(Map<String, String> env, String stdin, String... args) throws IOException {
        Map<String, String> environment = new HashMap<>(Map.of("GIT_CONFIG_NOSYSTEM", "1",
                "GIT_CONFIG_GLOBAL", "/dev/null", "GIT_TERMINAL_PROMPT", "0"));
        environment.putAll(env);
        return GitCommand.run(repository, stdin, environment, LIMIT, args);
    }

    /** @return the full id of what {@code rev} names as a commit, or null when it names none */
    String commit(String rev) throws IOException {
        Answer a = answer(Map.of(), null, "rev-parse", "--verify", "--quiet", rev + "^{commit}");
        return a.ok() ? a.out().strip() : null;
    }

    /** @return true when {@code ancestor} is {@code descendant} or in its parent chain */
    boolean isAncestor(String ancestor, String descendant) throws IOException {
        Answer a = answer(Map.of(), null, "merge-base", "--is-ancestor", ancestor, descendant);
        if (a.exit() > 1) {
            throw new IOException("git merge-base --is-ancestor failed in " + repository + ": " + a.message());
        }
        return a.ok();
    }

    /** @return {@link #MAIN} */
    String mainRef() {
        return MAIN;
    }

    /** @return the commit of {@link #MAIN} @throws IOException saying so when the repository has no such branch */
    String main() throws IOException {
        String main = commit(MAIN);
        if (main == null) {
            throw new IOException("no branch " + MAIN + " in " + repository + ": the controller opens, verifies and "
                    + "ships changes on " + MAIN + " only (whatever HEAD names)");
        }
        return main;
    }

    /**
     * @return the worktree in which {@code ref} is checked out (the main one or a linked one), or null when none is:
     *     from {@code git worktree list --porcelain}, which reads git's own files and runs nothing in a working tree
     *     (no status, no filter of the repository's configuration)
     */
    String checkedOutIn(String ref) throws IOException {
        String worktree = null;
        for (String line : call("worktree", "list", "--porcelain").split("\n")) {
            if (line.startsWith("worktree ")) {
                worktree = line.substring("worktree ".length());
            } else if (line.equals("branch " + ref)) {
                return worktree;
            }
        }
        return null;
    }

    /** A file for a private index, in the temporary folder (git's own index is never used). */
    static Path privateIndex() throws IOException {
        Path dir = Files.createTempDirectory("harmonix-change-index");
        return dir.resolve("index");
    }

    static void dropIndex(Path index) throws IOException {
        for (File f : index.getParent().toFile().listFiles()) {
            Files.deleteIfExists(f.toPath());
        }
        Files.deleteIfExists(index.getParent());
    }
}
