package io.harmonix.agent.quality.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real git repository in a test's folder, with files written and committed through the git CLI. */
final class Repo {
    final Path root;

    private Repo(Path root) {
        this.root = root;
    }

    static Repo init(Path dir) throws Exception {
        Repo repo = new Repo(Files.createDirectories(dir));
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    Repo write(String file, String content) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return this;
    }

    String read(String file) throws IOException {
        return Files.readString(root.resolve(file));
    }

    Repo commit(String message) throws Exception {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return this;
    }

    Target target() throws Exception {
        return Target.open(root, ".", List.of());
    }

    /** Runs git here with a clean configuration; returns its output, failing the test when git fails. */
    String git(String... args) throws Exception {
        ExitAndOutput r = run(null, args);
        assertEquals(0, r.exit(), () -> "git " + String.join(" ", args) + " failed: " + r.output());
        return r.output();
    }

    /** Runs git with {@code input} on its standard input; the exit code is the caller's to judge. */
    ExitAndOutput run(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=t@example.org",
                "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = pb.start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("git " + String.join(" ", args) + " hung");
        }
        return new ExitAndOutput(p.exitValue(), out);
    }

    record ExitAndOutput(int exit, String output) {
    }
}
