package io.harmonix.fleet.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The few git questions discovery asks, through the git CLI (the TOOLCHAIN notes: the CLI for worktrees, and it is
 * what the sandbox runs too, so a repository git cannot open here is one a build could not use either). The
 * environment keeps git from prompting or reading a system configuration that could differ between machines.
 */
final class Git {
    private static final long TIMEOUT_SECONDS = 30;

    private Git() {
    }

    /** A working tree has {@code .git} (a folder, or a file for a linked worktree or submodule). */
    static boolean isWorkingTree(Path dir) {
        return Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS);
    }

    /** A bare repository is a folder with {@code HEAD}, {@code objects/} and {@code refs/} (what git itself checks). */
    static boolean isBare(Path dir) {
        return Files.isRegularFile(dir.resolve("HEAD"), LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(dir.resolve("objects"), LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(dir.resolve("refs"), LinkOption.NOFOLLOW_LINKS);
    }

    static boolean isRepository(Path dir) {
        return isWorkingTree(dir) || isBare(dir);
    }

    /**
     * @return the full SHA of HEAD's commit
     * @throws IOException saying why git could not give it (not a repository, no commit yet, ...)
     */
    static String head(Path repo) throws IOException {
        return run(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip();
    }

    /** @return the paths of the files of HEAD's tree (for a bare repository, which has no files to look at) */
    static List<String> files(Path repo) throws IOException {
        return run(repo, "ls-tree", "-r", "--name-only", "-z", "HEAD").lines()
                .flatMap(l -> List.of(l.split("\0")).stream()).filter(s -> !s.isEmpty()).toList();
    }

    /** @return the content of a file of HEAD's tree */
    static String show(Path repo, String path) throws IOException {
        return run(repo, "show", "HEAD:" + path);
    }

    /** @return git's standard output; a non-zero exit is an IOException with its standard error */
    static String run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        // stderr is small (a message); read it on its own thread so that a large stdout cannot block on it
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete(e.getMessage());
            }
        }, "git-stderr");
        reader.setDaemon(true);
        reader.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " in " + dir + " took more than "
                        + TIMEOUT_SECONDS + " s");
            }
            String message = err.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).strip();
            if (p.exitValue() != 0) {
                throw new IOException(message.isEmpty() ? "git " + args[0] + " exited with " + p.exitValue()
                        : message.lines().findFirst().orElse(message));
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }
}
