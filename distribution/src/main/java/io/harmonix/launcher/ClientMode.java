package io.harmonix.launcher;

import io.harmonix.shell.client.ShellClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import sun.misc.Signal;

/**
 * {@code bin/harmonix client ['COMMANDS']}: the commands run in the runtime that holds the data folder, through its
 * command socket, and the client exits with their status; without commands, a line session (a prompt, each line
 * run as it is typed, {@code exit} or Ctrl-D leaves, Ctrl-C interrupts the line that runs). Plain Java: no framework
 * is started, so the client answers as fast as a JVM starts. {@code exec} on a folder a runtime holds comes here
 * too ({@link #handOver}).
 */
final class ClientMode {
    /** Exit status when no runtime takes the commands (none holds the folder, or it refused this user). */
    static final int NOT_REACHED = 2;
    /** Exit status when the runtime went away before the commands ended. */
    static final int BROKEN = 1;
    static final String PROMPT = "harmonix> ";

    private ClientMode() {
    }

    /** Why no runtime takes the commands, said in one line. */
    static final class NotReached extends Exception {
        private static final long serialVersionUID = 1L;

        NotReached(String message) {
            super(message);
        }
    }

    /** client mode: runs {@code script}, or a line session when it is null. */
    static int run(Path data, String script) {
        ShellClient client;
        try {
            client = connect(data);
        } catch (NotReached e) {
            System.err.println("harmonix client: " + e.getMessage());
            return NOT_REACHED;
        }
        try (client) {
            return script != null ? client.run(script, System.out, System.err) : lines(client);
        } catch (IOException e) {
            System.out.flush();
            System.err.println("harmonix client: " + e.getMessage());
            return BROKEN;
        }
    }

    /**
     * exec on a data folder a runtime holds: the script goes to that runtime, if it takes commands.
     *
     * @return the script's exit status, or null when the holder takes no commands (exec refuses then, as before)
     */
    static Integer handOver(Path data, String script, String pid) {
        ShellClient client;
        try {
            client = ShellClient.connect(ShellClient.socket(data));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        System.err.println("exec: handed to the runtime running as pid " + pid);
        try (client) {
            return client.run(script, System.out, System.err);
        } catch (IOException e) {
            System.out.flush();
            System.err.println("exec: " + e.getMessage());
            return BROKEN;
        }
    }

    /** Connects to the runtime of {@code data}, or says why there is none to connect to. */
    static ShellClient connect(Path data) throws NotReached {
        Path socket = ShellClient.socket(data);
        java.util.Optional<String> tooLong = ShellClient.tooLong(socket);
        if (tooLong.isPresent()) {
            // no runtime of this folder can take commands: its log says the same (ClientListener)
            throw new NotReached("data folder " + data + " cannot take commands: " + tooLong.get());
        }
        try {
            return ShellClient.connect(socket);
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Permission denied")) {
                throw new NotReached("the runtime of data folder " + data + " takes commands from its own user only "
                        + "(" + socket + ": permission denied); run the client as the user who started it");
            }
            String holder = holder(data);
            if (holder != null && !Files.exists(socket)) {
                throw new NotReached("data folder " + data + " is held by the Harmonix runtime pid " + holder
                        + ", which takes no commands (an exec, or a runtime still starting)");
            }
            throw new NotReached("no Harmonix runtime holds data folder " + data + " (" + socket + ": " + message
                    + "); start one with: bin/harmonix --data " + data + " run");
        }
    }

    /** @return the pid written in the folder's lock when that process is alive, else null */
    private static String holder(Path data) {
        try {
            String pid = Files.readString(data.resolve(".lock"), StandardCharsets.UTF_8).trim();
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).isPresent() ? pid : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The line session: each line a script of its own, in one session of the runtime (variables stay). */
    private static int lines(ShellClient client) throws IOException {
        PrintStream out = System.out;
        Running running = new Running();
        try {
            // Ctrl-C interrupts the line that runs, or gives a new prompt (the terminal dropped what was typed)
            Signal.handle(new Signal("INT"), signal -> running.interrupt(client, out));
        } catch (IllegalArgumentException e) {
            // SIGINT is not the JVM's to handle (java -Xrs): Ctrl-C ends the client, which interrupts the line
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                return 0;
            }
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("exit") || words[0].equals("quit")) {
                return words.length > 1 && words[0].equals("exit") ? exitStatus(words[1]) : 0;
            }
            if (!line.isBlank()) {
                running.set(true);
                try {
                    client.run(line, out, System.err);
                } finally {
                    running.set(false);
                }
            }
        }
    }

    private static int exitStatus(String word) {
        try {
            int n = Integer.parseInt(word);
            if (n >= 0 && n <= 255) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        System.err.println("harmonix client: exit status '" + word + "' is not a whole number from 0 to 255: 1");
        return 1;
    }

    /** Whether a line runs, for Ctrl-C on the JVM's signal thread. */
    private static final class Running {
        private boolean running;

        synchronized void set(boolean value) {
            running = value;
        }

        synchronized void interrupt(ShellClient client, PrintStream out) {
            if (!running) {
                out.println();
                out.print(PROMPT);
                out.flush();
                return;
            }
            try {
                client.interrupt();
            } catch (IOException e) {
                // the connection is gone: the line's run ends with that
            }
        }
    }
}
