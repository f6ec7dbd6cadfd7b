package io.harmonix.fleet.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The git repositories under the configured roots: a folder that is a working tree or a bare repository is one,
 * and nothing inside it is looked at (a repository nested in another's working tree is the outer one's business:
 * a vendored copy, a submodule, a test fixture). The root itself counts as depth 0, its folders as depth 1; folders
 * deeper than {@code depth} are not visited. Symbolic links are never followed: one pointing out of the root would
 * pull in repositories nobody put there, and one pointing inside finds a repository twice.
 */
final class RootScanner {
    private RootScanner() {
    }

    /** A repository found, or a root that could not be read. */
    record Found(List<Path> repositories, List<String> problems) {
    }

    static Found scan(List<Path> roots, int depth) {
        List<Path> repositories = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                problems.add(root + ": root is not a folder (expected a folder of git repositories)");
                continue;
            }
            walk(root.toAbsolutePath().normalize(), 0, depth, repositories, problems);
        }
        return new Found(repositories, problems);
    }

    private static void walk(Path dir, int level, int depth, List<Path> found, List<String> problems) {
        if (Git.isRepository(dir)) {
            found.add(dir);
            return;
        }
        if (level >= depth) {
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path child : s) {
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                        && !child.getFileName().toString().equals(".git")) {
                    children.add(child);
                }
            }
        } catch (IOException e) {
            problems.add(dir + ": cannot be listed (" + e.getMessage() + ")");
            return;
        }
        children.sort(null);
        for (Path child : children) {
            walk(child, level + 1, depth, found, problems);
        }
    }
}
