package io.harmonix.shell.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import io.harmonix.shell.api.WorkInFlight;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Exec mode of the packaged runtime ({@code bin/harmonix exec '<commands>'}): when the framework property
 * {@value #EXEC} holds a Gogo script, runs it once every command it names is registered, prints each command's
 * output, then stops the framework. The exit status (0, or 1 when a command failed) is left in the system property
 * {@value #STATUS} for the launcher.
 */
@Component(immediate = true, service = {})
public class ExecMode {
    static final String EXEC = "harmonix.exec";
    static final String STATUS = "harmonix.exec.status";
    static final String WAIT = "harmonix.exec.wait";
    /** Seconds exec mode waits, after the script, for the work it started (default 300). */
    static final String DRAIN = "harmonix.exec.drain";

    @Reference
    private CommandProcessor processor;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    /** Work the script's commands started that goes on after them (workflow instances, events): waited for. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<WorkInFlight> inFlight;

    private Thread thread;

    @Activate
    void activate(BundleContext context) {
        String script = context.getProperty(EXEC);
        if (script == null || script.isBlank()) {
            return;
        }
        thread = new Thread(() -> execute(context, script), "harmonix-exec");
        thread.start();
    }

    @Deactivate
    void deactivate() {
        if (thread != null && thread != Thread.currentThread()) {
            thread.interrupt();
        }
    }

    private void execute(BundleContext context, String script) {
        int status;
        try {
            Duration wait = Duration.ofSeconds(Long.parseLong(
                    String.valueOf(context.getProperty(WAIT) == null ? "30" : context.getProperty(WAIT))));
            ScriptRunner runner = new ScriptRunner(processor, log);
            runner.awaitCommands(context, script, wait);
            // The process's own descriptors: Gogo has replaced System.out/err with streams that route to the
            // current session, so handing those to a session would make it write into itself.
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
            CommandSession session = runner.session(new FileInputStream(FileDescriptor.in), out, err);
            try {
                status = runner.execute(session, script, out, err);
            } finally {
                session.close();
            }
            if (status != ScriptRunner.INTERRUPTED) {
                awaitWorkInFlight(context, err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ScriptRunner.INTERRUPTED;
            System.err.println("error: interrupted");
        } catch (Exception e) {
            status = ScriptRunner.FAILED;
            System.err.println("error: " + ScriptRunner.describe(e));
            log.info("exec: failed: {}", ScriptRunner.describe(e), e);
        } finally {
            System.out.flush();
        }
        System.setProperty(STATUS, Integer.toString(status));
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            System.err.println("error: the framework could not be stopped: " + e.getMessage());
        }
    }

    /**
     * Waits for the work the script's commands started and that goes on after them (a trigger's instance), so that
     * stopping the framework does not cut it off; what is still going on after {@value #DRAIN} seconds is said on
     * standard error (a workflow instance then goes on at the next start in shell or run mode, or by wf:resume).
     */
    private void awaitWorkInFlight(BundleContext context, PrintStream err) throws InterruptedException {
        List<WorkInFlight> all = inFlight;
        if (all == null || all.isEmpty()) {
            return;
        }
        Duration drain = Duration.ofSeconds(Long.parseLong(
                String.valueOf(context.getProperty(DRAIN) == null ? "300" : context.getProperty(DRAIN))));
        long end = System.nanoTime() + drain.toNanos();
        List<String> left = new java.util.ArrayList<>();
        for (WorkInFlight w : all) {
            left.addAll(w.await(Duration.ofNanos(Math.max(0, end - System.nanoTime()))));
        }
        if (!left.isEmpty()) {
            err.println("exec: still in flight after " + drain.toSeconds() + "s, not waited for (" + DRAIN
                    + "):");
            left.forEach(line -> err.println("  " + line));
            err.flush();
            log.warn("exec: work still in flight when the runtime stops: {}", left);
        }
    }
}
