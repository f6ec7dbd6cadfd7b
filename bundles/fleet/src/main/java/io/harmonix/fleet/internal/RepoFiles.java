package io.harmonix.fleet.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files of a repository that detection and inference read: a working tree's as they are on disk (what its
 * owner sees, changes not committed included), a bare repository's as HEAD has them (it has no others).
 */
abstract class RepoFiles {
    /** Largest build file read: a pom.xml or package.json is a few kilobytes; a huge one is not worth parsing. */
    static final int MAX_BYTES = 4 << 20;

    abstract boolean exists(String relative);

    /** @return the file's text, empty when it is missing or too large to be a build file */
    abstract Optional<String> read(String relative);

    /** @return the folders directly under {@code relative} (for npm workspace globs such as {@code packages/*}) */
    abstract List<String> folders(String relative);

    /** @param gitTimeout how long each git command reading a bare repository may take */
    static RepoFiles of(Path repo, Duration gitTimeout) throws IOException {
        return Git.isWorkingTree(repo) ? new Disk(repo) : new Head(repo, Git.files(repo, gitTimeout), gitTimeout);
    }

    private static final class Disk extends RepoFiles {
        private final Path root;

        Disk(Path root) {
            this.root = root;
        }

        @Override
        boolean exists(String relative) {
            return Files.isRegularFile(root.resolve(relative), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        Optional<String> read(String relative) {
            Path p = root.resolve(relative);
            try {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > MAX_BYTES) {
                    return Optional.empty();
                }
                return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException | java.io.UncheckedIOException e) {
                return Optional.empty();
            }
        }

        @Override
        List<String> folders(String relative) {
            Path dir = root.resolve(relative);
            try (var s = Files.list(dir)) {
                return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> root.relativize(p).toString()).sorted().toList();
            } catch (IOException e) {
                return List.of();
            }
        }
    }

    private static final class Head extends RepoFiles {
        private final Path repo;
        private final Set<String> files;
        private final Duration gitTimeout;

        Head(Path repo, List<String> files, Duration gitTimeout) {
            this.repo = repo;
            this.files = new HashSet<>(files);
            this.gitTimeout = gitTimeout;
        }

        @Override
        boolean exists(String relative) {
            return files.contains(relative);
        }

        @Override
        Optional<String> read(String relative) {
            if (!files.contains(relative)) {
                return Optional.empty();
            }
            try {
                return Git.show(repo, relative, MAX_BYTES, gitTimeout);
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        List<String> folders(String relative) {
            String prefix = relative.isEmpty() || relative.endsWith("/") ? relative : relative + "/";
            return files.stream().filter(f -> f.startsWith(prefix) && f.indexOf('/', prefix.length()) > 0)
                    .map(f -> f.substring(0, f.indexOf('/', prefix.length()))).distinct().sorted().toList();
        }
    }
}
