package io.harmonix.fleet.builds.internal;

import io.harmonix.enhance.api.testing.GitRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Real git repositories for the tests (the enhancement API's test {@link GitRepo}: the git CLI, blind to the
 * machine's configuration, author "Test"), each with shell scripts {@code build.sh} and {@code test.sh} as its build
 * and test commands and a {@code history.txt} that every commit changes.
 */
final class GitRepos {
    private final Path root;
    private final Map<Path, GitRepo> repos = new HashMap<>();

    GitRepos(Path root) {
        this.root = root;
    }

    /** A new repository {@code name} with one commit holding {@code build.sh} and {@code test.sh}. */
    Path create(String name, String build, String test) throws IOException {
        GitRepo repo = GitRepo.init(root.resolve(name));
        repos.put(repo.root(), repo);
        return commit(repo.root(), "initial", build, test);
    }

    /** Writes the scripts (null: unchanged), a line of {@code history.txt}, and commits them. */
    Path commit(Path path, String subject, String build, String test) throws IOException {
        GitRepo repo = repos.get(path);
        if (build != null) {
            repo.write("build.sh", "#!/bin/sh\nset -e\n" + build + "\n");
        }
        if (test != null) {
            repo.write("test.sh", "#!/bin/sh\nset -e\n" + test + "\n");
        }
        String history = path.resolve("history.txt").toFile().exists() ? repo.read("history.txt") : "";
        repo.write("history.txt", history + subject + "\n").commit(subject);
        return path;
    }

    String head(Path path) throws IOException {
        return repos.get(path).head();
    }

    String git(Path path, String... arguments) throws IOException {
        return repos.get(path).git(arguments);
    }
}
