package io.harmonix.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for an end-to-end test: a detached tmux session, on a tmux server of the test's own, whose one
 * pane runs a command on a pseudo-terminal. Keys typed with {@link #send} go through the terminal's line
 * discipline as a user's would (so Ctrl-C becomes SIGINT for the pane's foreground process), and
 * {@link #lines()} is what the user would see.
 *
 * <p>tmux is required: without it {@link #start} fails the test (a test of the terminal that passed without one
 * would prove nothing). {@code .ci/run} installs it.
 */
final class Tmux implements AutoCloseable {
    private static final String SESSION = "it";

    private final Path socket;
    private final long panePid;

    private Tmux(Path socket, long panePid) {
        this.socket = socket;
        this.panePid = panePid;
    }

    /**
     * Starts {@code command} (no shell in between: tmux runs it directly when given more than one word) in a
     * 220x50 terminal, in {@code workDir}. The server's socket lives in {@code dir}, so no other tmux is touched.
     */
    static Tmux start(Path dir, Path workDir, String... command) throws IOException, InterruptedException {
        Path socket = dir.resolve("tmux.sock");
        List<String> args = new ArrayList<>(List.of("-f", "/dev/null", "start-server", ";",
                // the pane stays after its process ended, so that its exit status can be read
                "set-option", "-g", "remain-on-exit", "on", ";",
                "new-session", "-d", "-s", SESSION, "-x", "220", "-y", "50", "-c", workDir.toString()));
        args.addAll(List.of(command));
        run(socket, args);
        return new Tmux(socket, Long.parseLong(run(socket, List.of("display-message", "-p", "-t", SESSION,
                "#{pane_pid}")).trim()));
    }

    /** Types {@code text} literally, then Enter. */
    void type(String text) throws IOException, InterruptedException {
        typePartly(text);
        send("Enter");
    }

    /** Types {@code text} literally, without Enter. */
    void typePartly(String text) throws IOException, InterruptedException {
        run(socket, List.of("send-keys", "-t", SESSION, "-l", text));
    }

    /** Sends keys by their tmux names: {@code C-c}, {@code Enter}. */
    void send(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        run(socket, args);
    }

    /** The terminal's lines, scroll-back included, wrapped lines joined, without trailing blanks and empty lines. */
    List<String> lines() throws IOException, InterruptedException {
        String text = run(socket, List.of("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION));
        List<String> lines = new ArrayList<>(text.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    String screen() throws IOException, InterruptedException {
        return String.join("\n", lines());
    }

    /** Waits until the terminal shows what {@code condition} accepts; fails after {@code timeout} with the screen. */
    List<String> await(String what, Predicate<List<String>> condition, Duration timeout)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = lines();
            if (condition.test(lines)) {
                return lines;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the terminal did not show " + what + " within " + timeout.toSeconds()
                        + " s:\n" + String.join("\n", lines) + "\n[" + paneState() + "]");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until the pane's process has ended; fails after {@code timeout}.
     *
     * @return {@code "status N"}, or {@code "signal N"} when a signal ended it
     */
    String awaitEnd(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            String[] state = paneState().split(" ", -1); // dead, status, signal; the last two empty until known
            if (state[0].equals("1") && !state[1].isEmpty()) {
                return "status " + state[1];
            }
            if (state[0].equals("1") && !state[2].isEmpty()) {
                return "signal " + state[2];
            }
            if (state[0].equals("1")) {
                // Dead but not reaped: Debian's tmux takes the pane's SIGCHLD only when it comes before the end of
                // the pane's output; libutempter, called when that ends, catches it otherwise (tmux issue 311). Its
                // maintainers' workaround: another SIGCHLD to the server, which then reaps the process.
                signalServer("-CHLD");
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the process in the terminal did not end within " + timeout.toSeconds()
                        + " s:\n" + screen());
            }
            Thread.sleep(100);
        }
    }

    private String paneState() throws IOException, InterruptedException {
        return run(socket, List.of("display-message", "-p", "-t", SESSION,
                "#{pane_dead} #{pane_dead_status} #{pane_dead_signal}")).lines().findFirst().orElse("");
    }

    private void signalServer(String signal) throws IOException, InterruptedException {
        String pid = run(socket, List.of("display-message", "-p", "#{pid}")).strip();
        Process kill = new ProcessBuilder("kill", signal, pid).redirectErrorStream(true).start();
        kill.getInputStream().readAllBytes();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /** Ends the tmux server, and the pane's process if it is still there (tmux only hangs up on it). */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(socket, List.of("kill-server"));
        } catch (IOException e) {
            // no server left to end
        }
        ProcessHandle.of(panePid).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    private static String run(Path socket, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // the pane's process inherits this environment: no data folder or log folder of the caller's, and no
        // outer tmux to confuse this one
        pb.environment().remove("HARMONIX_DATA");
        pb.environment().remove("HARMONIX_LOG");
        pb.environment().remove("TMUX");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("tmux is not installed: the end-to-end tests of the interactive shell need a "
                    + "real terminal (apt-get install -y tmux, as .ci/run does): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", args) + " did not answer within 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
