package io.harmonix.proposals.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A private, detached worktree of a repository (the git CLI: JGit has no worktree API and its clones are 5-10x
 * slower), removed on close. The repository's own working tree and branches are not touched.
 */
final class Worktree implements AutoCloseable {
    private final Path repository;
    private final Path dir;

    private Worktree(Path repository, Path dir) {
        this.repository = repository;
        this.dir = dir;
    }

    /**
     * Adds a worktree of {@code commit} at {@code dir}, first removing what an interrupted attempt left there.
     *
     * @throws IOException with git's message (an unknown commit, a folder that is not a repository)
     */
    static Worktree add(Path repository, Path dir, String commit) throws IOException {
        Worktree w = new Worktree(repository, dir);
        w.remove();
        Files.createDirectories(dir.getParent());
        GitCli.git(repository, "worktree", "add", "--detach", "--quiet", dir.toString(), commit + "^{commit}");
        return w;
    }

    Path path() {
        return dir;
    }

    /** Checks out another commit, detached, dropping what was changed (the worktree is ours alone). */
    void checkout(String commit) throws IOException {
        GitCli.git(dir, "checkout", "--quiet", "--force", "--detach", commit + "^{commit}");
        GitCli.git(dir, "clean", "-fdxq");
    }

    @Override
    public void close() throws IOException {
        remove();
    }

    private void remove() throws IOException {
        if (Files.exists(dir)) {
            GitCli.Result r = GitCli.run(repository, null, java.util.Map.of(), "worktree", "remove", "--force",
                    dir.toString());
            if (!r.ok() && Files.exists(dir)) {
                deleteTree(dir); // not registered (a crash between mkdir and add): a plain folder
            }
        }
        GitCli.run(repository, null, java.util.Map.of(), "worktree", "prune");
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
