package io.harmonix.fleet.sandbox.internal;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.Isolation;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One check from request to stored record: the record opened (its id names the folder), the commit resolved, the
 * worktree and scratch folder made under {@code fleet/worktrees/<id>} of the runtime's data folder, the command
 * launched ({@link Launch}) in the check's cgroups ({@link Cgroups}) with its output streamed into a
 * {@link BoundedLog}, waited for up to its limit, then every process it started killed, the folder deleted and the
 * record completed with the masked log.
 * Plain Java: {@link SandboxComponent} builds one per configuration.
 */
final class SandboxRunner {
    /** How long the output may take to close once every process was killed (only an escaped one holds it). */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);
    /** How often the size of a running check's folder is measured against diskLimit. */
    private static final Duration DISK_WATCH = Duration.ofMillis(500);
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final SandboxSettings settings;
    private final CheckStore store;
    private final Path data;
    private final Supplier<Isolation> isolation;
    private final boolean root;
    private final Optional<Cgroups> cgroups;
    private final UnaryOperator<String> masker;
    private final Map<String, String> runtimeEnvironment;
    /** Hidden from every SANDBOX command: read once, as the paths a check's folder lies under do not change. */
    private final List<Path> hidden;

    /**
     * @param home the installation folder, hidden from SANDBOX commands
     * @param data the data folder the runtime was started with: hidden too, the checks' worktrees under it
     * @param masker applied to every log before it is stored
     * @param runtimeEnvironment where the passed variables ({@code PATH}, {@code LANG}, {@code JAVA_HOME} and
     *     the configured ones) are read
     */
    SandboxRunner(SandboxSettings settings, CheckStore store, Path home, Path data, Isolation isolation,
            boolean root, Optional<Cgroups> cgroups, UnaryOperator<String> masker,
            Map<String, String> runtimeEnvironment) {
        this(settings, store, home, data, () -> isolation, root, cgroups, masker, runtimeEnvironment);
    }

    /** @param isolation the isolation, asked at each check (the component probes it at the first one, in exec mode) */
    SandboxRunner(SandboxSettings settings, CheckStore store, Path home, Path data, Supplier<Isolation> isolation,
            boolean root, Optional<Cgroups> cgroups, UnaryOperator<String> masker,
            Map<String, String> runtimeEnvironment) {
        this.settings = settings;
        this.store = store;
        this.data = data;
        this.isolation = isolation;
        this.root = root;
        this.cgroups = cgroups;
        this.masker = masker;
        this.runtimeEnvironment = Map.copyOf(runtimeEnvironment);
        this.hidden = Exposures.hidden(home, data, settings.hiddenPaths());
    }

    /** @return the folder of the checks' worktrees of the runtime whose data folder is {@code data} */
    static Path worktrees(Path data) {
        return data.resolve("fleet/worktrees");
    }

    Isolation isolation() {
        return isolation.get();
    }

    CheckRecord execute(ExecutionRequest request) {
        Path source = Path.of(request.source()).toAbsolutePath().normalize();
        Worktrees.gitDir(source); // throws IllegalArgumentException before any record
        Instant started = Instant.now();
        long id = store.start(request.repository(), source.toString(), request.kind(), request.command(), started,
                isolation());
        Run run = new Run(id, started);
        if (isolation() == Isolation.NONE && settings.isolationRequired()) {
            return run.fail(null, "refused: no isolation works on this machine (neither bubblewrap nor unshare) and "
                    + "isolationRequired is true in " + SandboxSettings.PID);
        }
        String sha;
        try {
            sha = Worktrees.resolve(source, request.commit());
        } catch (IOException e) {
            return run.fail(null, e.getMessage());
        }
        Path folder = worktrees(data).resolve(Long.toString(id));
        try {
            Path tree = folder.resolve("tree");
            Path scratch = folder.resolve("scratch");
            Files.createDirectories(scratch);
            Worktrees.create(source, sha, tree);
            return run.command(request, sha, tree, scratch);
        } catch (IOException e) {
            return run.fail(sha, "the worktree of " + sha + " could not be made: " + e.getMessage());
        } finally {
            try {
                Worktrees.delete(folder);
            } catch (IOException e) {
                // activate removes what is left; the record is already complete
            }
        }
    }

    /** The environment: the fixed few, the configured names the runtime has, then the request's own. */
    private Map<String, String> environment(ExecutionRequest request, Path scratch) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", runtimeEnvironment.getOrDefault("PATH", DEFAULT_PATH));
        env.put("HOME", scratch.toString());
        env.put("TMPDIR", isolation() == Isolation.SANDBOX ? "/tmp" : scratch.toString());
        env.put("LANG", runtimeEnvironment.getOrDefault("LANG", "C.UTF-8"));
        for (String name : settings.passEnvironment()) {
            if (runtimeEnvironment.containsKey(name)) {
                env.put(name, runtimeEnvironment.get(name));
            }
        }
        if (runtimeEnvironment.containsKey("JAVA_HOME")) {
            env.put("JAVA_HOME", runtimeEnvironment.get("JAVA_HOME"));
        }
        env.putAll(request.environment());
        return env;
    }

    /** The state of one check while it runs. */
    private final class Run {
        private final long id;
        private final Instant started;

        Run(long id, Instant started) {
            this.id = id;
            this.started = started;
        }

        CheckRecord fail(String sha, String error) {
            return record(sha, null, false, "none", "", false, error);
        }

        /**
         * Completes the record, the error masked like the log (git's messages may quote a URL with a token). An
         * interrupted caller's flag is cleared while Derby works (it closes the connection of an interrupted
         * thread, and the record would be lost) and set again after.
         */
        private CheckRecord record(String sha, Integer exitCode, boolean timedOut, String limits, String log,
                boolean truncated, String error) {
            boolean interrupted = Thread.interrupted();
            try {
                return store.finish(id, sha, Duration.between(started, Instant.now()), exitCode, timedOut, limits,
                        log, truncated, error == null ? null : masker.apply(error));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        CheckRecord command(ExecutionRequest request, String sha, Path tree, Path scratch)
                throws IOException {
            Duration limit = request.timeout() == null ? settings.timeLimit() : request.timeout();
            Cgroups.Group group = null;
            String limits;
            if (cgroups.isPresent()) {
                group = cgroups.get().create("check-" + id, settings.memoryBytes(), settings.processLimit());
                limits = "memory " + settings.memoryBytes() + " bytes, " + settings.processLimit() + " processes";
            } else {
                limits = "none: no writable cgroup v1 memory and pids controllers on this machine";
            }
            Launch.Exposure exposure = new Launch.Exposure(hidden, Exposures.shown(settings.readOnlyPaths(),
                    Exposures.alternates(tree)));
            ProcessBuilder builder = new ProcessBuilder(Launch.command(isolation(), root, request.command(), tree,
                    scratch, exposure, group == null ? null : group.enterLine()))
                    .directory(tree.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(environment(request, scratch));
            BoundedLog log = new BoundedLog(settings.logLimit());
            Process process = null;
            Thread reader = null;
            Integer exitCode = null;
            boolean timedOut = false;
            String error = null;
            boolean interrupted = false;
            try {
                process = builder.start();
                reader = drain(process.getInputStream(), log);
                long deadline = System.nanoTime() + limit.toNanos();
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        timedOut = true;
                        break;
                    }
                    if (process.waitFor(Math.min(left, DISK_WATCH.toNanos()), TimeUnit.NANOSECONDS)) {
                        exitCode = process.exitValue();
                        break;
                    }
                    // the folder lies on data/'s file system, with Derby and the workflow journal: never full
                    long used = Worktrees.size(tree.getParent());
                    if (used > settings.diskBytes()) {
                        error = "killed: its worktree and scratch folder held " + used + " bytes, more than "
                                + "diskLimit (" + settings.diskBytes() + " bytes) in " + SandboxSettings.PID;
                        break;
                    }
                }
            } catch (InterruptedException e) {
                // the flag is set again once the record is stored: Derby closes the connection of an
                // interrupted thread, and the kill below waits a little
                interrupted = true;
                error = "interrupted: the command was killed";
            } finally {
                killAll(process, group);
            }
            if (reader != null && !join(reader)) {
                error = (error == null ? "" : error + "; ") + "a process it started kept its output open after the "
                        + "command ended (it escaped the process group and no cgroup held it)";
                reader.interrupt();
            }
            String text = masker.apply(log.text());
            if (timedOut) {
                text += "\n[killed after the time limit of " + limit + "]\n";
            }
            if (interrupted) {
                Thread.currentThread().interrupt(); // record() keeps it away from Derby
            }
            return record(sha, exitCode, timedOut, limits, text, log.dropped() > 0, error);
        }
    }

    private static Thread drain(InputStream in, BoundedLog log) {
        Thread t = new Thread(() -> {
            try (in) {
                log.drain(in);
            } catch (IOException e) {
                // the stream was closed under it: the log keeps what came
            }
        }, "harmonix-sandbox-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** @return true when the reader ended (every writer of the output is gone) */
    private static boolean join(Thread reader) {
        boolean interrupted = Thread.interrupted();
        try {
            reader.join(DRAIN_LIMIT.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return !reader.isAlive();
    }

    /**
     * Kills the command's session (its process group: the shell, bwrap and whatever stayed in it, which for a
     * SANDBOX command is its whole PID namespace) and everything in its cgroups (what left the session too).
     */
    private static void killAll(Process process, Cgroups.Group group) {
        if (process != null) {
            List<ProcessHandle> descendants = process.descendants().toList();
            killGroup(process.pid());
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        if (group != null) {
            group.remove();
        }
    }

    private static void killGroup(long leader) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + leader)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the process and its descendants are still killed one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
