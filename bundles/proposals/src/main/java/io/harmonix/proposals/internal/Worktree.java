package io.harmonix.proposals.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * A private checkout of a commit of a repository, removed on close: a {@code clone --shared} (the repository's
 * objects borrowed, nothing copied) made and used with git's defaults only. The repository's own configuration is
 * not the clone's, and the machine's and the user's are not read, so no program they name (a filter driver's smudge
 * or clean, git-lfs fetching, git-crypt decrypting) runs here, outside the sandbox; and the repository itself gets
 * nothing, no worktree entry to prune. (The git CLI: JGit's clones are 5-10x slower.)
 */
final class Worktree implements AutoCloseable {
    /** The environment of every git command on the clone: no system or global configuration. */
    static final Map<String, String> PLAIN = Map.of("GIT_CONFIG_NOSYSTEM", "1",
            "GIT_CONFIG_GLOBAL", "/dev/null");
    /** The clone's: {@link io.harmonix.enhance.api.Target#gitCommand} forbids every protocol; a clone needs "file". */
    private static final Map<String, String> CLONE = Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL",
            "/dev/null", "GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "protocol.file.allow", "GIT_CONFIG_VALUE_0",
            "always");

    private final Path dir;

    private Worktree(Path dir) {
        this.dir = dir;
    }

    /**
     * Clones {@code repository} at {@code dir}, first removing what an interrupted attempt left there, and checks
     * out {@code commit}, detached.
     *
     * @throws IOException with git's message (an unknown commit, a folder that is not a repository)
     */
    static Worktree add(Path repository, Path dir, String commit) throws IOException {
        Worktree w = new Worktree(dir);
        w.close();
        Files.createDirectories(dir.getParent());
        GitCli.git(dir.getParent(), null, CLONE, "clone", "--shared", "--no-checkout", "--quiet",
                repository.toAbsolutePath().toString(), dir.toString());
        w.checkout(commit);
        return w;
    }

    Path path() {
        return dir;
    }

    /** Checks out another commit, detached, dropping what was changed (the clone is ours alone). */
    void checkout(String commit) throws IOException {
        GitCli.git(dir, null, PLAIN, "checkout", "--quiet", "--force", "--detach", commit + "^{commit}");
        GitCli.git(dir, null, PLAIN, "clean", "-fdxq");
    }

    /** Runs git on the clone with git's defaults only; @return its output */
    String git(String... args) throws IOException {
        return GitCli.git(dir, null, PLAIN, args);
    }

    @Override
    public void close() throws IOException {
        if (Files.exists(dir)) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
