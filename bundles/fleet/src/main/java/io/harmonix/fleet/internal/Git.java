package io.harmonix.fleet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import io.harmonix.config.api.Durations;

/**
 * The few git questions discovery asks, through the git CLI (the TOOLCHAIN notes: the CLI for worktrees, and it is
 * what the sandbox runs too, so a repository git cannot open here is one a build could not use either). The
 * environment keeps git from prompting or reading a system configuration that could differ between machines.
 */
final class Git {
    private static final ExecutorService STDERR_READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fleet-git-stderr");
        t.setDaemon(true);
        return t;
    });

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
    static String head(Path repo, Duration timeout) throws IOException {
        return run(repo, timeout, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip();
    }

    /** @return the paths of the files of HEAD's tree (for a bare repository, which has no files to look at) */
    static List<String> files(Path repo, Duration timeout) throws IOException {
        return run(repo, timeout, "ls-tree", "-r", "--name-only", "-z", "HEAD").lines()
                .flatMap(l -> List.of(l.split("\0")).stream()).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * @return the content of a file of HEAD's tree, or empty when it is larger than {@code maxBytes} (git is stopped
     *     after {@code maxBytes + 1} bytes: a blob of a gigabyte is never read whole)
     */
    static Optional<String> show(Path repo, String path, int maxBytes, Duration timeout) throws IOException {
        byte[] out = run(repo, maxBytes, timeout, "show", "HEAD:" + path);
        return out.length > maxBytes ? Optional.empty() : Optional.of(new String(out, StandardCharsets.UTF_8));
    }

    /**
     * @param timeout how long the command may take (the fleet's {@code gitTimeout}; a real git answers these
     *     questions in milliseconds)
     * @return git's standard output; a non-zero exit is an IOException with its standard error
     */
    static String run(Path dir, Duration timeout, String... args) throws IOException {
        return new String(run(dir, Integer.MAX_VALUE - 8, timeout, args), StandardCharsets.UTF_8);
    }

    /**
     * Runs git, keeping at most {@code maxBytes + 1} bytes of its output (then stopping it: more is not wanted) and
     * stopping it at the time limit wherever it is: a git blocked on a stalled disk or on a FIFO put where a file of
     * the repository should be would otherwise block discovery for ever (the limit is a watchdog, not a wait after
     * the output's end).
     */
    private static byte[] run(Path dir, int maxBytes, Duration limit, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Process> watchdog = p.onExit().orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS);
        watchdog.whenComplete((done, e) -> {
            // the time limit only: cancelled below once git has ended, this watchdog must not stop the process (its
            // exit is seen by waitFor before onExit completes; stopping closes the streams stderr is read from)
            if (e instanceof TimeoutException) {
                timedOut.set(true);
                stop(p);
            }
        });
        p.getOutputStream().close();
        // stderr is a message: read on its own thread (the first 64 KiB, the rest drained) so that it cannot block
        // git while its stdout is read here
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getErrorStream()) {
                String message = new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8);
                in.transferTo(OutputStream.nullOutputStream());
                return message;
            } catch (IOException e) {
                return e.getMessage();
            }
        }, STDERR_READERS);
        try {
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(maxBytes + 1);
            }
            if (out.length > maxBytes) {
                stop(p);
                return out;
            }
            p.waitFor();
            if (timedOut.get()) {
                throw new IOException("git " + String.join(" ", args) + " in " + dir + " took more than "
                        + Durations.format(limit) + " (stopped)");
            }
            watchdog.cancel(false);
            String message = err.get().strip();
            if (p.exitValue() != 0) {
                if (message.contains("detected dubious ownership")) {
                    throw new NotOwned(dir);
                }
                throw new IOException(message.isEmpty() ? "git " + args[0] + " exited with " + p.exitValue()
                        : message.lines().findFirst().orElse(message));
            }
            return out;
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /**
     * Git refuses a repository another user owns unless it is named in {@code safe.directory}: its configuration
     * (hooks, {@code core.fsmonitor}) would otherwise run programs of that user as ours. Discovery does not override
     * that: the message says whose it is and how to trust it.
     */
    static final class NotOwned extends IOException {
        private static final long serialVersionUID = 1L;

        NotOwned(Path dir) {
            super("owned by " + owner(dir) + ", not by the runtime's user " + System.getProperty("user.name")
                    + ", and git refuses another user's repository; if you trust it, as the runtime's user: git "
                    + "config --global --add safe.directory " + dir.toAbsolutePath().normalize());
        }

        private static String owner(Path dir) {
            try {
                return Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
            } catch (IOException | UnsupportedOperationException e) {
                return "another user";
            }
        }
    }
}
