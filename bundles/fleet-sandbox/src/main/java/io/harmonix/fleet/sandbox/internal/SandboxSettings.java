package io.harmonix.fleet.sandbox.internal;

import io.harmonix.config.api.ConfigCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's configuration (PID {@value #PID}, {@code etc/io.harmonix.fleet.sandbox.cfg}), checked as a whole.
 *
 * @param timeLimit wall-clock limit of a command whose request names none
 * @param memoryBytes memory limit of everything a command starts (cgroup v1 {@code memory.limit_in_bytes})
 * @param processLimit process (and thread) limit of everything a command starts (cgroup v1 {@code pids.max})
 * @param isolationRequired refuse to run a command with isolation NONE
 * @param logLimit bytes of output kept per check (head and tail halves)
 * @param passEnvironment names of the runtime's environment variables a command gets too
 * @param hiddenPaths folders a SANDBOX command does not see (besides the runtime's home), {@code ~} expanded
 * @param diskBytes bytes the check's worktree and scratch folder may hold before the command is killed
 * @param readOnlyPaths folders inside hidden ones that a SANDBOX command sees again, read-only ({@code
 *     ~/.m2/repository}: an offline Maven build reads its artifacts there), {@code ~} expanded
 *     <p>Public for {@code io.harmonix.fleet.sandbox.testing.TestSandbox} only; the package is private to the bundle.
 */
public record SandboxSettings(Duration timeLimit, long memoryBytes, int processLimit, boolean isolationRequired,
        int logLimit, List<String> passEnvironment, List<Path> hiddenPaths, long diskBytes, List<Path> readOnlyPaths) {
    static final String PID = "io.harmonix.fleet.sandbox";
    /** The runtime user's home ({@code ~/.m2/settings.xml}, {@code ~/.npmrc}, {@code ~/.gitconfig}) and the others'. */
    static final String HIDDEN_PATHS = "~, /home";
    static final String DISK_LIMIT = "10g";

    /** Settings with the default hidden paths and disk limit, and nothing shown again. */
    public SandboxSettings(Duration timeLimit, long memoryBytes, int processLimit, boolean isolationRequired, int logLimit,
            List<String> passEnvironment) {
        this(timeLimit, memoryBytes, processLimit, isolationRequired, logLimit, passEnvironment,
                paths(HIDDEN_PATHS), bytes(DISK_LIMIT), List.of());
    }

    /** Settings with these read-only paths shown again ({@code readOnlyPaths}) and the rest as given. */
    public SandboxSettings withReadOnlyPaths(List<Path> paths) {
        return new SandboxSettings(timeLimit, memoryBytes, processLimit, isolationRequired, logLimit, passEnvironment,
                hiddenPaths, diskBytes, List.copyOf(paths));
    }
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)b?", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static ConfigCheck.Result<SandboxSettings> read(SandboxComponent.Config config, Map<String, ?> properties) {
        ConfigCheck check = new ConfigCheck(PID, properties);
        Duration timeLimit = check.positiveDuration("timeLimit", config::timeLimit);
        Long memory = check.parsed("memoryLimit", config::memoryLimit, SandboxSettings::bytes);
        int processes = check.wholeNumber("processLimit", config::processLimit, 8, 1_000_000);
        boolean required = check.bool("isolationRequired", config::isolationRequired);
        Long log = check.parsed("logLimit", config::logLimit, SandboxSettings::bytes);
        if (log != null && (log < 1024 || log > 64L << 20)) {
            check.problem("logLimit", "a size from 1k to 64m");
        }
        List<String> pass = check.parsed("passEnvironment", config::passEnvironment, SandboxSettings::names);
        List<Path> hidden = check.parsed("hiddenPaths", config::hiddenPaths, SandboxSettings::paths);
        Long disk = check.parsed("diskLimit", config::diskLimit, SandboxSettings::bytes);
        List<Path> readOnly = check.parsed("readOnlyPaths", config::readOnlyPaths, SandboxSettings::paths);
        return check.result(() -> new SandboxSettings(timeLimit, memory, processes, required, log.intValue(), pass,
                hidden, disk, readOnly));
    }

    /** {@code 512m}, {@code 2g}, {@code 65536}: bytes, with an optional k, m or g (powers of 1024). */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: expected a whole number of bytes, "
                    + "optionally followed by k, m or g (512m, 2g)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is not a size of more than 0 bytes that fits");
        }
        return n << shift;
    }

    /** Comma-separated absolute paths; {@code ~} at the start is the runtime user's home ({@code user.home}). */
    static List<Path> paths(String text) {
        List<Path> paths = new ArrayList<>();
        for (String entry : text.split(",")) {
            String path = entry.strip();
            if (path.isEmpty()) {
                continue;
            }
            if (path.equals("~") || path.startsWith("~/")) {
                path = System.getProperty("user.home") + path.substring(1);
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("'" + entry.strip() + "' is not an absolute path (expected /..., "
                        + "~ or ~/...)");
            }
            paths.add(Path.of(path).normalize());
        }
        return List.copyOf(paths);
    }

    /** Comma- or space-separated environment variable names. */
    static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        for (String name : text.split("[,\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not an environment variable name: expected "
                        + "letters, digits and _, not starting with a digit");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }
}
