package io.harmonix.enhance.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs git as {@link Target#gitCommand} says (no hooks, no fsmonitor, no transport), bounded in time, for the
 * agents' {@link Target#git} and the bundles that write to repositories (the autonomy controller's change requests,
 * the proposals' validation). Standard input, output and error go through temporary files, not pipes: the bound on
 * the wait then holds however git behaves, and a large output cannot block it on a full pipe.
 */
public final class GitCommand {
    private GitCommand() {
    }

    /**
     * What git answered.
     *
     * @param exit its exit status
     * @param out its standard output, as it is (a diff's last line matters)
     * @param err its standard error
     */
    public record Answer(int exit, String out, String err) {
        /** @return whether git exited with 0 */
        public boolean ok() {
            return exit == 0;
        }

        /** @return git's message: its error output, else its output, stripped */
        public String message() {
            String e = err.strip();
            return e.isEmpty() ? out.strip() : e;
        }
    }

    /**
     * Runs git in {@code dir}; the exit status is the caller's to judge.
     *
     * @param stdin what git reads on its standard input; null for nothing
     * @param env added to the environment git inherits
     * @param limit how long git may take; past it, it is killed and this throws
     * @param args git's arguments, {@code -c NAME=VALUE} pairs first if any
     * @throws IOException when git cannot start, takes longer than {@code limit}, or the wait is interrupted (the
     *     thread's interrupt flag then set again), each naming the git command and {@code dir}
     */
    public static Answer run(Path dir, String stdin, Map<String, String> env, Duration limit, String... args)
            throws IOException {
        String name = name(args);
        Path io = Files.createTempDirectory("harmonix-git");
        Path in = io.resolve("in");
        Path out = io.resolve("out");
        Path err = io.resolve("err");
        Process p = null;
        try {
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(Target.gitCommand(dir, args)).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("git " + name + " took more than " + limit.toSeconds() + " s in " + dir
                        + "; stopped");
            }
            // git's own messages are read leniently (new String replaces what is not UTF-8: a path in another
            // encoding must not hide why git failed); its output strictly, as callers take paths and ids from it
            return new Answer(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while git " + name + " ran in " + dir, e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            for (Path f : List.of(in, out, err, io)) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** @return the git command that {@code args} run: the first argument past the {@code -c NAME=VALUE} pairs */
    static String name(String... args) {
        int i = 0;
        while (i + 1 < args.length && args[i].equals("-c")) {
            i += 2;
        }
        return i < args.length ? args[i] : "";
    }
}
