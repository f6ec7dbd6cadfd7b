package io.harmonix.agent.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real git repository in a test's folder, driven by the git CLI with no system or user configuration. */
public final class TestRepo {
    private final Path root;

    private TestRepo(Path root) {
        this.root = root;
    }

    public static TestRepo init(Path root) throws IOException {
        TestRepo repo = new TestRepo(root);
        Files.createDirectories(root);
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    public Path root() {
        return root;
    }

    public TestRepo write(String file, String text) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return this;
    }

    public TestRepo delete(String file) throws IOException {
        Files.delete(root.resolve(file));
        return this;
    }

    /** Adds everything and commits; @return the commit's id */
    public String commit(String message) throws IOException {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return git("rev-parse", "HEAD").strip();
    }

    public String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString(), "-c", "user.name=Test",
                "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
