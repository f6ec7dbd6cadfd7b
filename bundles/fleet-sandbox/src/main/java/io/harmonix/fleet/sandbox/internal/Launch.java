package io.harmonix.fleet.sandbox.internal;

import io.harmonix.fleet.api.Isolation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a check's command under an isolation, and the probe of which isolations work here.
 *
 * <p>SANDBOX is bubblewrap: every namespace unshared (no network, its own PID namespace whose processes all die
 * with it, {@code --die-with-parent} so that a killed runtime takes it along), every capability dropped (as root a
 * build could otherwise remount {@code /} writable), {@code /} read-only, a private
 * {@code /tmp}, then an empty tmpfs over each hidden path ({@link Exposure}: the runtime's home, whose {@code etc/}
 * holds secrets such as pulse.json and whose {@code data/} the database), then read-only again only what a build
 * needs from inside a hidden path (the source's objects, which the worktree's clone reads through its alternates),
 * a hidden path inside one of those hidden again (so that no bind, whatever lies where, shows the home again), and
 * on top of that only the worktree and the scratch folder writable.
 *
 * <p>The environment is the launched process's own, which the caller clears and fills
 * ({@code ProcessBuilder.environment()}), under every isolation: never {@code bwrap --setenv}, whose values (a passed
 * token) would be on bwrap's command line, readable in {@code /proc/1/cmdline} inside and in {@code ps} outside.
 *
 * <p>NETWORK_ONLY is {@code unshare -n} (root) or {@code unshare -rn}; NONE runs the shell as it is. Every form
 * starts in a new session ({@code setsid}), so that its process group can be killed as one, and first moves itself
 * into the check's cgroups when there are.
 */
final class Launch {
    static final String SHELL = "/bin/sh";

    private Launch() {
    }

    /**
     * What a SANDBOX command does not see, and what it sees again read-only, in bubblewrap's order.
     *
     * @param hidden paths covered by an empty tmpfs (existing folders, each as given and as its real path)
     * @param readOnly paths bound again read-only on top of the hidden ones
     */
    record Exposure(List<Path> hidden, List<Path> readOnly) {
        static final Exposure NOTHING = new Exposure(List.of(), List.of());

        Exposure {
            hidden = List.copyOf(hidden);
            readOnly = List.copyOf(readOnly);
        }

        /** The bubblewrap options: the tmpfs first, then the binds, then the hidden paths a bind showed again. */
        List<String> options() {
            List<String> options = new ArrayList<>();
            hidden.forEach(h -> options.addAll(List.of("--tmpfs", h.toString())));
            readOnly.forEach(r -> options.addAll(List.of("--ro-bind", r.toString(), r.toString())));
            for (Path h : hidden) {
                if (readOnly.stream().anyMatch(r -> h.startsWith(r) && !h.equals(r))) {
                    options.addAll(List.of("--tmpfs", h.toString()));
                }
            }
            return options;
        }
    }

    /**
     * @param exposure what a SANDBOX command does not see and sees again
     * @param enterCgroups a shell line that moves the shell into the check's groups, or null
     */
    static List<String> command(Isolation isolation, boolean root, String command, Path worktree, Path scratch,
            Exposure exposure, String enterCgroups) {
        List<String> line = new ArrayList<>(List.of("setsid", SHELL, "-c",
                (enterCgroups == null ? "" : enterCgroups + " && ") + "exec \"$@\"", "harmonix-sandbox"));
        switch (isolation) {
            case SANDBOX -> {
                line.addAll(List.of("bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop",
                        "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs",
                        "/tmp"));
                line.addAll(exposure.options());
                line.addAll(List.of("--bind", worktree.toString(), worktree.toString(), "--bind", scratch.toString(),
                        scratch.toString(), "--chdir", worktree.toString()));
            }
            case NETWORK_ONLY -> line.addAll(List.of("unshare", root ? "-n" : "-rn"));
            case NONE -> {
                // nothing between the session and the shell
            }
        }
        line.addAll(List.of(SHELL, "-c", command));
        return line;
    }

    /** @return true when {@code true} runs under {@code isolation} here */
    static boolean works(Isolation isolation, boolean root, Path scratch) {
        List<String> probe = command(isolation, root, "true", scratch, scratch, Exposure.NOTHING, null);
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
