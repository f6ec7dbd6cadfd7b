package io.harmonix.fleet.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real git repositories for the tests, made with the git CLI: a working tree with files and one commit, or a bare
 * clone of one. No system or user configuration is read (HOME is a folder of the test's own).
 */
final class GitRepos {
    private final Path home;

    GitRepos(Path scratch) throws IOException {
        this.home = Files.createDirectories(scratch.resolve("git-home"));
    }

    /** A working tree at {@code dir} with {@code files} (path, then content, ...) committed. */
    Path workingTree(Path dir, String... files) throws IOException {
        Files.createDirectories(dir);
        git(dir, "init", "-q", "-b", "main");
        write(dir, files);
        git(dir, "add", "-A");
        git(dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty",
                "-m", "first");
        return dir;
    }

    /** A bare repository at {@code dir}, cloned from a working tree made with {@code files}. */
    Path bare(Path dir, String... files) throws IOException {
        // its source lies outside the folder of the bare one, so discovery under a root finds only the bare one
        Path src = workingTree(Files.createTempDirectory(home, "src").resolve(dir.getFileName()), files);
        git(Files.createDirectories(dir.getParent()), "clone", "-q", "--bare", src.toString(), dir.toString());
        return dir;
    }

    /** Commits every change of a working tree. */
    void commit(Path dir, String message) throws IOException {
        git(dir, "add", "-A");
        git(dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message);
    }

    static void write(Path dir, String... files) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < files.length; i += 2) {
            map.put(files[i], files[i + 1]);
        }
        for (var e : map.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
        }
    }

    String git(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out.strip();
    }

    /** A pom.xml of these coordinates depending on {@code deps} (groupId:artifactId each). */
    static String pom(String groupId, String artifactId, String... deps) {
        StringBuilder d = new StringBuilder();
        for (String dep : deps) {
            String[] ga = dep.split(":");
            d.append("<dependency><groupId>").append(ga[0]).append("</groupId><artifactId>").append(ga[1])
                    .append("</artifactId><version>1</version></dependency>");
        }
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion><groupId>"
                + groupId + "</groupId><artifactId>" + artifactId + "</artifactId><version>1</version>"
                + "<dependencies>" + d + "</dependencies></project>";
    }
}
