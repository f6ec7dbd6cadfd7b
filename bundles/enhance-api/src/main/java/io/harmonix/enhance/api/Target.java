package io.harmonix.enhance.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an agent analyses: a local git working tree and the components in it.
 *
 * @param root the top folder of the working tree (absolute, normalised)
 * @param commit the commit checked out ({@code HEAD}), 40 hex digits: what proposals are made against
 * @param components sub-paths of {@code root} to analyse ({@code bundles/runner}); empty means the whole tree
 */
public record Target(Path root, String commit, List<String> components) {
    /** Run input naming the target's folder ({@code cycle:run --input target=PATH}). */
    public static final String INPUT_TARGET = "target";
    /** Run input naming its components, comma-separated. */
    public static final String INPUT_COMPONENTS = "components";

    public Target {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(commit, "commit");
        components = List.copyOf(components);
    }

    /**
     * Opens a target, checking it: the folder exists, is the top of a git working tree with at least one commit, and
     * every component is a folder inside it.
     *
     * @param path the folder; a relative one is taken from {@code base}
     * @param components sub-paths, '/'-separated; blank ones are ignored
     * @throws TargetException saying which path is wrong and what was expected
     */
    public static Target open(Path base, String path, List<String> components) throws TargetException {
        if (path == null || path.isBlank()) {
            throw new TargetException("no target: give the folder of a git working tree (--target PATH, "
                    + "--input target=PATH, or target= in the agent's configuration)");
        }
        Path root = base.resolve(path.trim()).toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new TargetException("target " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new TargetException("target " + root + " is not a directory");
        }
        if (!Files.exists(root.resolve(".git"))) {
            throw new TargetException("target " + root + " is not a git repository: no .git in it (give the top "
                    + "folder of the working tree)");
        }
        List<String> parts = new ArrayList<>();
        for (String c : components) {
            String component = c.trim().replace('\\', '/');
            while (component.endsWith("/")) {
                component = component.substring(0, component.length() - 1);
            }
            if (component.isEmpty()) {
                continue;
            }
            Path dir = root.resolve(component).normalize();
            if (component.startsWith("/") || !dir.startsWith(root) || !Files.isDirectory(dir)) {
                throw new TargetException("unknown component '" + c.trim() + "' in target " + root
                        + ": expected a folder inside it");
            }
            parts.add(root.relativize(dir).toString().replace('\\', '/'));
        }
        String commit;
        try {
            commit = git(root, "rev-parse", "--verify", "HEAD^{commit}").strip();
        } catch (IOException e) {
            throw new TargetException("target " + root + " has no commit to analyse against: " + e.getMessage());
        }
        return new Target(root, commit, parts);
    }

    /**
     * Opens the target a cycle names: the run's inputs {@value #INPUT_TARGET} and {@value #INPUT_COMPONENTS} when
     * given, otherwise the configured ones.
     *
     * @return empty when neither names a target: an instance without a configured target is idle in runs that do not
     *     give it one (a run of every agent present), instead of failing each cycle
     * @throws TargetException when the target named cannot be analysed
     */
    public static Optional<Target> of(JsonNode inputs, Path base, String configuredTarget,
            List<String> configuredComponents) throws TargetException {
        String target = inputs.path(INPUT_TARGET).asText("");
        if (!target.isBlank()) {
            String components = inputs.path(INPUT_COMPONENTS).asText("");
            return Optional.of(open(base, target, Arrays.asList(components.split(","))));
        }
        if (configuredTarget == null || configuredTarget.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(open(base, configuredTarget, configuredComponents));
    }

    /** The framework property naming the installation folder, which relative targets are taken from. */
    public static final String HOME = "harmonix.home";

    /**
     * The folder relative targets are taken from: {@value #HOME} (a framework property in the runtime), else the
     * working directory. One rule for every agent.
     *
     * @param property the framework's properties by name ({@code bundleContext::getProperty})
     */
    public static Path home(Function<String, String> property) {
        String home = property == null ? null : property.apply(HOME);
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    /** @return the target's name: its folder's name */
    public String name() {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    /**
     * The files of the analysed components that git tracks or would track (untracked files that .gitignore does not
     * exclude), as paths relative to the root with '/' separators, sorted. Build output and ignored files are not
     * part of it, as they are not part of the code under review; nor are symbolic links (what they point to may be
     * outside the target).
     */
    public List<String> files() throws IOException {
        List<String> args = new ArrayList<>(List.of("ls-files", "-z", "--cached", "--others", "--exclude-standard",
                "--"));
        args.addAll(components.isEmpty() ? List.of(".") : components);
        String out = git(root, args.toArray(String[]::new));
        List<String> files = new ArrayList<>();
        for (String f : out.split("\0")) {
            // a symbolic link is not followed: it may point anywhere outside the target (~/.aws/credentials)
            if (!f.isEmpty() && Files.isRegularFile(root.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                files.add(f);
            }
        }
        files.sort(null);
        return List.copyOf(new java.util.LinkedHashSet<>(files));
    }

    /** @return the component {@code file} (relative to the root) belongs to, or "" when none of them holds it */
    public String componentOf(String file) {
        String best = "";
        for (String c : components) {
            if ((file.equals(c) || file.startsWith(c + "/")) && c.length() > best.length()) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The command line of git in {@code dir}, hardened for working trees that are not trusted: a target's own
     * {@code .git/config} can name programs git runs: its fsmonitor hook and hooks do not run for an agent (commands
     * that print diffs add {@code --no-ext-diff --no-textconv}); clean filters named in that config still would
     * (git has no switch for all of them), so a target's {@code .git} must be one the runtime's user trusts, as
     * with any git command they run. Every git an agent starts goes through here.
     */
    public static List<String> gitCommand(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString(),
                "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.quotePath=false",
                "-c", "protocol.allow=never"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs git in {@code dir} ({@link #gitCommand}) and returns its standard output.
     *
     * @throws IOException with git's own message when it fails, or when it takes more than a minute (then it is
     *     killed)
     */
    public static String git(Path dir, String... args) throws IOException {
        GitCommand.Answer a = GitCommand.run(dir, null, Map.of(), Duration.ofSeconds(60), args);
        if (!a.ok()) {
            throw new IOException("git " + args[0] + " failed: " + a.err().strip());
        }
        return a.out();
    }
}
