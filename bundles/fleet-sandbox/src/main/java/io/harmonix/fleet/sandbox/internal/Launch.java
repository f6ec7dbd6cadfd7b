package io.harmonix.fleet.sandbox.internal;

import io.harmonix.fleet.api.Isolation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line that runs a check's command under an isolation, and the probe of which isolations work here.
 *
 * <p>SANDBOX is bubblewrap: every namespace unshared (no network, its own PID namespace whose processes all die
 * with it, {@code --die-with-parent} so that a killed runtime takes it along), every capability dropped (as root a
 * build could otherwise remount {@code /} writable), a cleared environment, {@code /} read-only, a private
 * {@code /tmp}, then an empty tmpfs over the runtime's home (its {@code etc/} holds secrets such as pulse.json and
 * its {@code data/} the database: neither readable nor writable from inside; hiding the whole home is one rule that
 * also covers files added there later), the source repository read-only again (the worktree's clone reads its
 * objects there, and it may lie under {@code /tmp} or the home), and on top of that only the worktree and the
 * scratch folder writable.
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
     * @param home the runtime's home, hidden from a SANDBOX command
     * @param source the source repository (its git folder's parent or itself)
     * @param enterCgroups a shell line that moves the shell into the check's groups, or null
     */
    static List<String> command(Isolation isolation, boolean root, String command, Path worktree, Path scratch,
            Path home, Path source, Map<String, String> environment, String enterCgroups) {
        List<String> line = new ArrayList<>(List.of("setsid", SHELL, "-c",
                (enterCgroups == null ? "" : enterCgroups + " && ") + "exec \"$@\"", "harmonix-sandbox"));
        switch (isolation) {
            case SANDBOX -> {
                line.addAll(List.of("bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop",
                        "ALL", "--clearenv", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs",
                        "/tmp"));
                if (home != null && home.getNameCount() > 0) {
                    line.addAll(List.of("--tmpfs", home.toString()));
                }
                // the clone reads its objects from the source: visible again (read-only) even under a tmpfs
                line.addAll(List.of("--ro-bind", source.toString(), source.toString()));
                line.addAll(List.of("--bind", worktree.toString(), worktree.toString(), "--bind", scratch.toString(),
                        scratch.toString(), "--chdir", worktree.toString()));
                environment.forEach((k, v) -> line.addAll(List.of("--setenv", k, v)));
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
        List<String> probe = command(isolation, root, "true", scratch, scratch, null, scratch, Map.of(), null);
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
