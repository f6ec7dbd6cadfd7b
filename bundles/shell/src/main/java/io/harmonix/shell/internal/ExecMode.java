package io.harmonix.shell.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
    /** {@code scope:function} names in a script; Gogo's own parser is not exported, so this is a best effort. */
    private static final Pattern COMMAND = Pattern.compile("(?<![\\w.:/$-])([a-z][a-z0-9]*):([a-zA-Z][\\w-]*)");

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
        int status = 0;
        try {
            Duration wait = Duration.ofSeconds(Long.parseLong(
                    String.valueOf(context.getProperty(WAIT) == null ? "30" : context.getProperty(WAIT))));
            awaitCommands(context, script, wait);
            // The process's own descriptors: Gogo has replaced System.out/err with streams that route to the
            // current session, so handing those to a session would make it write into itself.
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
            CommandSession session = processor.createSession(new FileInputStream(FileDescriptor.in), out, err);
            // a command typed without its scope is found by the shell, not by Gogo's first guess (UnscopedNames)
            session.put("SCOPE", UnscopedNames.SCOPE + ":*");
            try {
                Object result = session.execute(script);
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT));
                }
                out.flush();
            } finally {
                session.close();
            }
            awaitWorkInFlight(context, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
            System.err.println("error: interrupted");
        } catch (Exception e) {
            status = 1;
            System.err.println("error: " + describe(e));
            log.info("exec: command failed: {}", describe(e), e);
        } finally {
            System.out.flush();
            System.setProperty(STATUS, Integer.toString(status));
        }
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

    /**
     * Waits until every {@code scope:function} the script names is registered. A command still missing two
     * seconds after every bundle is active will not come (a typo, or a bundle that is not installed): Gogo then
     * reports it. Then waits until every bundle is active. {@code wait} bounds the whole.
     */
    private void awaitCommands(BundleContext context, String script, Duration wait)
            throws InterruptedException {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = COMMAND.matcher(script);
        while (m.find()) {
            names.add((m.group(1) + ":" + m.group(2)).toLowerCase(java.util.Locale.ROOT)); // as Gogo keeps them
        }
        long end = System.nanoTime() + wait.toNanos();
        long settledSince = 0;
        // Gogo's table keeps a name once added, even after its command went; in exec mode nothing has gone yet
        for (String name : names) {
            while (!GogoCommands.names(processor).contains(name) && System.nanoTime() < end) {
                if (!allBundlesActive(context)) {
                    settledSince = 0;
                } else if (settledSince == 0) {
                    settledSince = System.nanoTime();
                } else if (System.nanoTime() - settledSince > Duration.ofSeconds(2).toNanos()) {
                    break;
                }
                Thread.sleep(20);
            }
        }
        // and every bundle started: a command may need services of bundles that start after its own (agents)
        while (!allBundlesActive(context) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    private static boolean allBundlesActive(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                return false;
            }
        }
        return true;
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            return t.getMessage();
        }
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
