package io.harmonix.fleet.sandbox.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/**
 * Private worktrees of exact commits: {@code git clone --shared --no-checkout} of the source, then {@code checkout
 * --detach SHA}. A clone rather than {@code git worktree add} on a persistent clone: its {@code .git} lies inside
 * the worktree, which is the only writable place in the sandbox, so a build that runs git itself works; it needs no
 * state kept between checks and no lock between parallel checks of one repository; and it costs about as much
 * (docs/performance.md, "Fleet sandbox").
 *
 * <p>Every git runs with the source repository's own programs switched off: no hooks, no fsmonitor, no transport
 * other than the local one (the same rule as the enhancement agents' git), and with the runtime's environment
 * minus what could point git elsewhere ({@code GIT_DIR} and the like).
 */
final class Worktrees {
    private static final Duration GIT_LIMIT = Duration.ofMinutes(5);

    private Worktrees() {
    }

    /**
     * @return the repository's git folder, to check that {@code source} is a repository itself (a working tree or a
     *     bare repository) and not a folder somewhere inside one
     * @throws IllegalArgumentException naming the path when it is not
     */
    static Path gitDir(Path source) {
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException(source + " is not a folder (a git working tree or bare repository "
                    + "was expected)");
        }
        String dir;
        try {
            dir = git(source, "rev-parse", "--absolute-git-dir").strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not a git repository: " + e.getMessage());
        }
        Path gitDir = Path.of(dir);
        Path real = realPath(source);
        if (Files.isRegularFile(real.resolve(".git"))) {
            throw new IllegalArgumentException(source + " is a linked worktree or a submodule (its .git is a file); "
                    + "give its main working tree or a bare clone");
        }
        if (!gitDir.equals(real) && !gitDir.equals(real.resolve(".git"))) {
            throw new IllegalArgumentException(source + " is not a git repository (it lies inside the one at "
                    + gitDir + ")");
        }
        return gitDir;
    }

    /**
     * @return the full SHA of {@code commit} in {@code source}
     * @throws IOException saying the commit is unknown there
     */
    static String resolve(Path source, String commit) throws IOException {
        if (commit.isBlank() || commit.startsWith("-")) {
            throw new IOException("'" + commit + "' is not a commit name");
        }
        try {
            return git(source, "rev-parse", "--verify", "--quiet", commit + "^{commit}").strip();
        } catch (IOException e) {
            throw new IOException("no commit '" + commit + "' in " + source, e);
        }
    }

    /** Makes {@code target} a checkout of {@code sha} (a detached HEAD) sharing the source's objects. */
    static void create(Path source, String sha, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        git(target.getParent(), "-c", "protocol.file.allow=always", "clone", "--shared", "--no-checkout",
                "--quiet", "--", source.toString(), target.toString());
        git(target, "checkout", "--detach", "--quiet", sha);
    }

    /** Deletes a folder and everything in it (a build may leave files read-only: their folder is writable). */
    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                dir.toFile().setWritable(true, true); // chmod a-w by the build must not keep its files
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * @return the bytes of the files under {@code folder} (their length: a sparse file counts whole), what a build
     *     deletes meanwhile left out
     */
    static long size(Path folder) {
        long[] total = {0};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // the visitor goes on after each failure: nothing reaches here but the folder's own
        }
        return total[0];
    }

    /** Runs git in {@code dir}, hardened as the class says, and returns its output. */
    static String git(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "core.hooksPath=/dev/null",
                "-c", "core.fsmonitor=false", "-c", "protocol.allow=never", "-c", "advice.detachedHead=false"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        for (String variable : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG_PARAMETERS", "GIT_CEILING_DIRECTORIES")) {
            builder.environment().remove(variable);
        }
        // git's output is small (a SHA, an error line): a temp file keeps waitFor's bound whatever it prints
        Path out = Files.createTempFile("harmonix-sandbox-git", ".out");
        Process p = builder.redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(GIT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("git " + String.join(" ", args) + " took more than " + GIT_LIMIT.toMinutes()
                        + " minutes in " + dir);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("git " + args[0] + " failed in " + dir + ": " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while git " + args[0] + " ran in " + dir, e);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
