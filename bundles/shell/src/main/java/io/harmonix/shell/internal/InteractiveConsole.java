package io.harmonix.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.Charset;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.felix.service.command.CommandProcessor;
import io.harmonix.shell.api.SessionUser;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.command.Job;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The interactive shell of the packaged runtime ({@code bin/harmonix} with no mode): reads command lines from the
 * terminal and runs them in one Gogo session, as gosh's console does, and adds what gosh's console cannot:
 * <ul>
 * <li>Ctrl-C: the launcher hands SIGINT to this component's service ({@value #INTERRUPT} = true, a
 * {@link BooleanSupplier} that answers whether the console took it: before the first prompt, after the console
 * ended, and in exec and run modes it does not, and the launcher stops the runtime as before). A running line is interrupted through Gogo's job API and ends with "interrupted"; at the
 * prompt (where the terminal has already dropped what was typed) a new prompt is printed. The runtime goes on.
 * gosh's console cannot be used for this: it runs inside a job of its own, whose interruption would end the
 * console too, and it prints an interrupted line as {@code gogo: InterruptedException: null}.</li>
 * <li>{@code exit [N]} and {@code quit} ({@link SessionCommands}, commands of the shell's own,
 * which mark the console's session with {@value #EXIT}): leave after the line, the framework stops in
 * order and the launcher exits with N (0 by default), read from {@value #STATUS}. End of input (Ctrl-D) is
 * {@code exit 0}.</li>
 * </ul>
 * Active only when the framework property {@value #CONSOLE} is true: the launcher sets it in shell mode, where
 * it starts gosh without a console of its own. gosh's profile is read as gosh reads it ({@code etc/gosh_profile}
 * of {@code gosh.home}, else the one in the gogo.shell bundle), so the prompt, the commands it adds and the
 * welcome text stay as they were.
 */
@Component(immediate = true, service = BooleanSupplier.class,
        property = InteractiveConsole.INTERRUPT + ":Boolean=true")
public class InteractiveConsole implements BooleanSupplier {
    static final String CONSOLE = "harmonix.console";
    static final String STATUS = "harmonix.shell.status";
    /** Service property of the interrupt service; the launcher looks it up by this name (keep both in step). */
    static final String INTERRUPT = "harmonix.console.interrupt";
    static final String SCOPE = "shell";
    /** Session variable: the console's own session (exit and quit refuse any other). */
    static final String CONSOLE_SESSION = ".harmonix.console";
    /** Session variable: the exit status asked for by exit or quit; the console ends after the line. */
    static final String EXIT = ".harmonix.exit";
    private static final String GOGO_SHELL = "org.apache.felix.gogo.shell";
    private static final long GOGO_WAIT_MS = 60_000;

    /** STARTING until the first prompt; IDLE between a line's end and the next prompt. */
    private enum State { STARTING, READING, RUNNING, IDLE, ENDED }

    @Reference
    private CommandProcessor processor;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final Object lock = new Object();
    private final Charset charset = Charset.defaultCharset();
    /** The process's own descriptors: Gogo routes System.out/err of commands to their session, not to these. */
    private final InputStream keyboard = new FileInputStream(FileDescriptor.in);
    private final PrintStream terminal = new PrintStream(new FileOutputStream(FileDescriptor.out), true, charset);
    private BundleContext context;
    private Thread thread;

    // guarded by lock
    private State state = State.STARTING;
    private CommandSession session;
    private String prompt = "";
    private Job interruptedJob;
    private boolean interrupted;
    private boolean backgrounded;

    @Activate
    void activate(BundleContext context) {
        if (!Boolean.parseBoolean(context.getProperty(CONSOLE))) {
            return;
        }
        this.context = context;
        thread = new Thread(this::run, "harmonix-console");
        // blocked in a read of the terminal when the framework stops: that must not keep the JVM alive
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() {
        if (thread == null) {
            return;
        }
        CommandSession s;
        synchronized (lock) {
            state = State.ENDED;
            s = session;
        }
        if (s != null) {
            s.close(); // interrupts a command still running
        }
        thread.interrupt();
    }

    private void run() {
        int status = 0;
        try {
            awaitGogoShell();
            CommandSession s = processor.createSession(keyboard, terminal,
                    new PrintStream(new FileOutputStream(FileDescriptor.err), true, charset));
            synchronized (lock) {
                if (state == State.ENDED) {
                    s.close();
                    return;
                }
                session = s;
            }
            readProfile(s);
            // exit and quit of this console before any other *:exit (the profile's system:exit is
            // System.exit(int)): an unscoped name is looked up in the scopes of SCOPE, in order
            Object scope = s.get("SCOPE");
            s.put("SCOPE", SCOPE + ":" + (scope == null ? "*" : scope));
            s.put(CONSOLE_SESSION, Boolean.TRUE);
            // the console reads the terminal of the account that started it: that person is the session's user
            s.put(SessionUser.VARIABLE, System.getProperty("user.name"));
            status = loop(s);
        } catch (InterruptedException e) {
            return; // deactivated while waiting for gogo.shell
        } catch (RuntimeException e) {
            log.error("the interactive shell failed: {}", e.toString(), e);
            terminal.println("harmonix: the interactive shell failed: " + e);
            status = 1;
        }
        synchronized (lock) {
            if (state == State.ENDED) {
                return; // the framework is stopping already, the launcher's exit status stands
            }
            state = State.ENDED;
        }
        System.setProperty(STATUS, Integer.toString(status));
        try {
            context.getBundle(0).stop(); // stops every bundle in order, then the launcher exits with STATUS
        } catch (BundleException | IllegalStateException e) {
            terminal.println("harmonix: the framework could not be stopped: " + e.getMessage());
        }
    }

    /** @return the exit status: of exit N, or 0 for quit, exit and the end of input */
    private int loop(CommandSession s) {
        while (true) {
            String p = prompt(s);
            synchronized (lock) {
                if (s.get(EXIT) instanceof Integer status) {
                    return status;
                }
                if (state == State.ENDED) {
                    return 0;
                }
                state = State.READING;
                prompt = p;
                terminal.print(p);
                terminal.flush();
            }
            String line;
            try {
                line = readLine(keyboard, charset);
            } catch (IOException e) {
                log.warn("the terminal could not be read: {}", e.toString());
                line = null;
            }
            if (line == null) {
                terminal.println(); // the prompt's line ends, as it would after a command
                return 0;
            }
            if (!line.isBlank()) {
                execute(s, line);
            }
        }
    }

    private void execute(CommandSession s, String line) {
        synchronized (lock) {
            if (state != State.READING) {
                return;
            }
            state = State.RUNNING;
            interruptedJob = null;
            interrupted = false;
            backgrounded = false;
        }
        Throwable failure = null;
        try {
            Object result = s.execute(line);
            s.put("_", result); // $_: the last result, as in gosh
            if (result != null && !Boolean.FALSE.equals(s.get(".Gogo.format"))) {
                terminal.println(s.format(result, Converter.INSPECT));
            }
        } catch (Throwable e) { // as gosh: whatever a line throws, the shell goes on
            failure = e;
        }
        boolean wasInterrupted;
        boolean wasBackgrounded;
        synchronized (lock) {
            if (state == State.ENDED) {
                return; // the framework is stopping: its closing of the session ended the line, nothing to say
            }
            state = State.IDLE;
            wasInterrupted = interrupted;
            wasBackgrounded = backgrounded;
        }
        if (wasInterrupted) {
            // after the terminal's echo of Ctrl-C, which leaves the cursor on its line
            terminal.println();
            terminal.println(wasBackgrounded ? "interrupted; the command did not end: it is left in the background"
                    : "interrupted");
        } else if (failure != null) {
            s.put("exception", failure); // for the profile's 'e', which prints its stack trace
            terminal.println("gogo: " + failure.getClass().getSimpleName() + ": " + failure.getMessage());
        }
    }

    /**
     * Ctrl-C, on the JVM's signal thread. A running line: {@link Job#interrupt()} of its current job interrupts the
     * threads of the job's commands and ends the job at once (the line then throws, the console prints
     * "interrupted"); a command that ignores the interruption goes on without holding the prompt. Gogo cancels a
     * job that has not started yet without ever ending it: the next Ctrl-C then moves that job to the background,
     * which releases the console, so the prompt comes back in any case. At the prompt: a new prompt (the terminal
     * has already dropped what was typed).
     */
    void interrupt() {
        synchronized (lock) {
            // (taken only between the first prompt and the end, see getAsBoolean)
            switch (state) {
                case READING -> {
                    terminal.println();
                    terminal.print(prompt);
                    terminal.flush();
                }
                case RUNNING -> {
                    Job job = session.foregroundJob();
                    if (job == null) {
                        return; // between two commands of the line: nothing runs to interrupt
                    }
                    interrupted = true;
                    if (job != interruptedJob) {
                        interruptedJob = job;
                        job.interrupt();
                    } else {
                        backgrounded = true;
                        job.background(); // releases the console, which waits only for foreground jobs
                    }
                }
                default -> {
                    // between lines, or ending: nothing to interrupt, and Ctrl-C must not stop the runtime
                }
            }
        }
    }

    /**
     * Ctrl-C from the launcher: the console takes it from its first prompt until it ends; before and after (and
     * when no console runs, in exec and run modes) it does not, and the launcher stops the runtime as the JVM's
     * default would have.
     *
     * @return whether the console took the interrupt
     */
    @Override
    public boolean getAsBoolean() {
        synchronized (lock) {
            if (thread == null || state == State.STARTING || state == State.ENDED) {
                return false;
            }
        }
        interrupt();
        return true;
    }

    private static String prompt(CommandSession s) {
        Object p = s.get("prompt");
        if (p instanceof Function f) {
            try {
                p = f.execute(s, null);
            } catch (Exception e) {
                p = null;
            }
        }
        return p == null ? "g! " : p.toString();
    }

    /**
     * One line from the terminal without its line end, or null at the end of input. Byte by byte, so that what
     * follows the line stays for a command that reads the keyboard; EOT (Ctrl-D where the terminal passes it on,
     * as telnet does) ends the input as gosh's console has it.
     */
    static String readLine(InputStream in, Charset charset) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1 || b == 4) {
                return line.size() == 0 ? null : line.toString(charset);
            }
            if (b == '\n') {
                return line.toString(charset);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
    }

    /** Waits until gogo.shell's commands (its profile needs them) are registered. */
    private void awaitGogoShell() throws InterruptedException {
        long end = System.currentTimeMillis() + GOGO_WAIT_MS;
        try {
            while (context.getServiceReferences((String) null,
                    "(&(osgi.command.scope=gogo)(osgi.command.function=source))") == null) {
                if (System.currentTimeMillis() > end) {
                    terminal.println("harmonix: bundle " + GOGO_SHELL + " is not active: the shell starts without "
                            + "its profile and commands");
                    return;
                }
                Thread.sleep(20);
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** gosh's profile, found where gosh looks for it. */
    private void readProfile(CommandSession s) {
        URI profile = profile();
        Object source = s.get("gogo:source");
        if (profile == null || !(source instanceof Function f)) {
            return;
        }
        try {
            f.execute(s, List.of(profile.toString()));
        } catch (Exception e) {
            terminal.println("gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private URI profile() {
        String home = context.getProperty("gosh.home");
        File own = new File(home == null ? System.getProperty("user.dir") : home, "etc/gosh_profile");
        if (own.isFile()) {
            return own.toURI();
        }
        for (Bundle b : context.getBundles()) {
            if (GOGO_SHELL.equals(b.getSymbolicName())) {
                URL url = b.getEntry("ext/gosh_profile");
                url = url == null ? b.getEntry("gosh_profile") : url;
                try {
                    return url == null ? null : url.toURI();
                } catch (URISyntaxException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
