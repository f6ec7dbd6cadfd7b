package io.harmonix.enhance.api.testing;

import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository in a test's folder, with files written and committed through the git CLI, blind to the
 * machine's and the user's git configuration: what the enhancement agents' tests analyse. Published in this bundle's
 * test-jar.
 */
public final class GitRepo {
    private final Path root;

    private GitRepo(Path root) {
        this.root = root;
    }

    /** Creates {@code dir} if need be and a repository in it, on branch {@code main}. */
    public static GitRepo init(Path dir) throws IOException {
        GitRepo repo = new GitRepo(Files.createDirectories(dir));
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    public Path root() {
        return root;
    }

    /** Writes a file of the working tree, creating its folders. */
    public GitRepo write(String file, String text) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return this;
    }

    public String read(String file) throws IOException {
        return Files.readString(root.resolve(file));
    }

    public GitRepo delete(String file) throws IOException {
        Files.delete(root.resolve(file));
        return this;
    }

    /** Adds everything and commits it (an empty commit when nothing changed). */
    public GitRepo commit(String message) throws IOException {
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    /** @return the id of the commit checked out */
    public String head() throws IOException {
        return git("rev-parse", "HEAD").strip();
    }

    /** @return the whole working tree as an enhancement agent's target */
    public Target target() throws Exception {
        return Target.open(root, ".", List.of());
    }

    /** Runs git here; @return its output @throws IOException with the output when git fails */
    public String git(String... args) throws IOException {
        Result r = run(null, args);
        if (r.exit() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed: " + r.output());
        }
        return r.output();
    }

    /** Runs git here with {@code input} (null: none) on its standard input; the exit code is the caller's to judge. */
    public Result run(String input, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c",
                "user.email=test@example.org", "-c", "commit.gpgsign=false"));
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
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), out);
    }

    /** What a git command did. */
    public record Result(int exit, String output) {
    }
}
