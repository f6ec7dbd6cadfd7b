package io.harmonix.shell.internal;

import io.harmonix.shell.api.SessionUser;
import io.harmonix.shell.client.Frames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/**
 * One connection to the command socket: one Gogo session of the client's operating system user, whose scripts ({@link Frames#RUN}) run one after the
 * other through exec mode's path ({@link ScriptRunner}), their output sent back as it is printed. This thread reads
 * the client's frames while a script runs on a thread of its own, so that an interrupt frame, or the client going
 * away (Ctrl-C of {@code bin/harmonix client}), interrupts the script at once.
 */
final class ClientSession implements Runnable {
    /** How long a script waits for the commands it names, as exec mode does at start (harmonix.exec.wait). */
    private static final Duration COMMANDS_WAIT = Duration.ofSeconds(30);

    private final SocketChannel channel;
    private final ScriptRunner runner;
    private final BundleContext context;
    private final Logger log;
    private final String name;
    private final PrintStream out;
    private final PrintStream err;
    private final CommandSession session;
    private final Object lock = new Object();
    private Thread worker; // guarded by lock: the script that runs, or null

    /**
     * @param user the client's operating system user (its peer credentials, which the listener checked): the
     *     session's user ({@link SessionUser}), so that commands recording who decided need no {@code --as}
     */
    ClientSession(SocketChannel channel, ScriptRunner runner, BundleContext context, Logger log, String name,
            String user) {
        this.channel = channel;
        this.runner = runner;
        this.context = context;
        this.log = log;
        this.name = name;
        this.out = new PrintStream(new FrameStream(Frames.STDOUT), true, StandardCharsets.UTF_8);
        this.err = new PrintStream(new FrameStream(Frames.STDERR), true, StandardCharsets.UTF_8);
        // a command that reads the keyboard reads nothing: the client's terminal is not the runtime's
        this.session = runner.session(InputStream.nullInputStream(), out, err);
        session.put(SessionUser.VARIABLE, user);
    }

    @Override
    public void run() {
        try {
            for (Frames.Frame frame; (frame = Frames.read(channel)) != null; ) {
                switch (frame.type()) {
                    case Frames.RUN -> start(frame.text());
                    case Frames.INTERRUPT -> interrupt();
                    default -> throw new IOException("unknown frame type '" + (char) frame.type() + "'");
                }
            }
        } catch (IOException e) {
            // the client went away inside a frame or broke the connection (killed): as a disconnect
            if (channel.isOpen()) {
                log.info("{}: the client went away ({})", name, e.getMessage());
            }
        } finally {
            close();
            awaitScript();
        }
    }

    /**
     * Waits a little for the interrupted script's thread to end: its commands leave Gogo's thread streams as they
     * end, which must happen before the runtime (or a test) takes Gogo down. One that ignores its interruption is
     * left to the session's closing.
     */
    private void awaitScript() {
        Thread running;
        synchronized (lock) {
            running = worker;
        }
        if (running != null) {
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void start(String script) throws IOException {
        synchronized (lock) {
            if (worker != null) {
                throw new IOException("a script was sent while the last one still runs");
            }
            log.info("{}: {}", name, script);
            worker = new Thread(() -> execute(script), name + "-script");
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** Runs a script and answers its exit frame, whatever happened to it: a client waits for that frame. */
    private void execute(String script) {
        int status = ScriptRunner.FAILED;
        try {
            if (starting()) {
                runner.awaitCommands(context, script, COMMANDS_WAIT);
            }
            status = runner.execute(session, script, out, err);
        } catch (InterruptedException e) {
            err.println("error: interrupted");
            status = ScriptRunner.INTERRUPTED;
        } catch (RuntimeException | Error e) {
            err.println("error: " + ScriptRunner.describe(e)); // status stays FAILED
            log.error("{}: the script ended by {}", name, e.toString(), e);
        } finally {
            answer(status);
        }
    }

    private void answer(int status) {
        synchronized (lock) {
            worker = null;
            Thread.interrupted(); // an interrupt that came as the script ended is not the next one's
        }
        try {
            synchronized (channel) {
                Frames.writeExit(channel, status);
            }
        } catch (IOException e) {
            close(); // the client has gone: nobody reads this session any more
        }
    }

    /**
     * A client that came while the runtime starts waits for the commands its script names, as exec mode does; once
     * the framework has started, Gogo answers at once (a bundle that failed to start must not make every client
     * wait for it).
     */
    private boolean starting() {
        try {
            return context.getBundle(0).getState() != org.osgi.framework.Bundle.ACTIVE;
        } catch (IllegalStateException e) {
            return false; // the framework is stopping
        }
    }

    /**
     * Ctrl-C of the client, or its going away: the script's foreground job is interrupted as the interactive
     * shell interrupts it (the threads of its commands); a script still waiting for its commands, or between two
     * of them, is interrupted on its own thread.
     */
    private void interrupt() {
        synchronized (lock) {
            if (worker == null) {
                return;
            }
            Job job = session.foregroundJob();
            if (job != null) {
                job.interrupt();
            } else {
                worker.interrupt();
            }
        }
    }

    /** Ends the session: a script that still runs is interrupted, and the connection closed. */
    void close() {
        interrupt();
        session.close(); // stops what the job left running in the session's threads
        try {
            channel.close();
        } catch (IOException e) {
            // closed already
        }
    }

    /** Bytes the commands print, sent as frames of one type as they are written. */
    private final class FrameStream extends OutputStream {
        private final byte type;

        FrameStream(byte type) {
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int at = off; at < off + len; at += Frames.MAX_PAYLOAD) {
                synchronized (channel) {
                    Frames.write(channel, type, b, at, Math.min(Frames.MAX_PAYLOAD, off + len - at));
                }
            }
        }
    }
}
