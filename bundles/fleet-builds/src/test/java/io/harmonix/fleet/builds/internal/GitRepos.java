package io.harmonix.fleet.builds.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real git repositories for the tests, made with the git CLI under a folder of the test, with no system or user
 * configuration (HOME is the folder), a fixed author, and executable shell scripts as build and test commands.
 */
final class GitRepos {
    private final Path root;

    GitRepos(Path root) {
        this.root = root;
    }

    /** A new repository {@code name} with one commit holding {@code build.sh} and {@code test.sh}. */
    Path create(String name, String build, String test) throws IOException {
        Path repo = root.resolve(name);
        Files.createDirectories(repo);
        git(repo, "init", "-q", "-b", "main");
        return commit(repo, "initial", build, test);
    }

    /** Writes the scripts (null: unchanged) and commits them. */
    Path commit(Path repo, String subject, String build, String test) throws IOException {
        if (build != null) {
            script(repo.resolve("build.sh"), build);
        }
        if (test != null) {
            script(repo.resolve("test.sh"), test);
        }
        Files.writeString(repo.resolve("history.txt"), subject + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.org", "commit", "-q", "-m", subject);
        return repo;
    }

    String head(Path repo) throws IOException {
        return git(repo, "rev-parse", "HEAD").trim();
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\nset -e\n" + body + "\n", StandardCharsets.UTF_8);
        file.toFile().setExecutable(true);
    }

    String git(Path repo, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        b.environment().put("HOME", root.toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", arguments) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
