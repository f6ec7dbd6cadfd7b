package io.harmonix.proposals.internal;

import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * git on a repository's refs and private worktrees: never its main branch, never its own working tree. The command
 * line is {@link Target#gitCommand}'s (hooks and fsmonitor off), with an identity of its own so that commits do not
 * depend on the runtime user's configuration, and no signing.
 */
final class GitCli {
    static final String NAME = "Harmonix";
    static final String EMAIL = "harmonix@localhost";

    private GitCli() {
    }

    /** What a git command did. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        /** @return git's message: its error output, else its output */
        String message() {
            String e = err.strip();
            return e.isEmpty() ? out.strip() : e;
        }
    }

    /** Runs git in {@code dir}; @return its output @throws IOException with git's message when it fails */
    static String git(Path dir, String... args) throws IOException {
        return git(dir, null, Map.of(), args);
    }

    static String git(Path dir, String input, Map<String, String> env, String... args) throws IOException {
        Result r = run(dir, input, env, args);
        if (!r.ok()) {
            throw new IOException("git " + args[0] + " failed in " + dir + ": " + r.message());
        }
        return r.out();
    }

    /**
     * Runs git in {@code dir} with {@code input} (null: none) on its standard input and {@code env} added; the exit
     * status is the caller's to judge. Killed after two minutes.
     */
    static Result run(Path dir, String input, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(Target.gitCommand(dir, "-c", "user.name=" + NAME,
                "-c", "user.email=" + EMAIL, "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        // input and output through files, not pipes: the bound on waitFor then holds however git behaves
        Path io = Files.createTempDirectory("harmonix-git");
        Path in = io.resolve("in");
        Path out = io.resolve("out");
        Path err = io.resolve("err");
        Files.writeString(in, input == null ? "" : input, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(in.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try (AutoCloseable cleanup = () -> {
            p.destroyForcibly();
            for (Path f : List.of(in, out, err, io)) {
                Files.deleteIfExists(f);
            }
        }) {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IOException("git " + args[0] + " took more than 120 s in " + dir + "; stopped");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git " + args[0], e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("git " + args[0] + ": " + e.getMessage(), e);
        }
    }
}
