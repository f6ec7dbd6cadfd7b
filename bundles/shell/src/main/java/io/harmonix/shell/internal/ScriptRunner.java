package io.harmonix.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.log.Logger;

/**
 * How a script runs when nobody types it: exec mode ({@link ExecMode}) and the commands of a client
 * ({@link ClientSession}) share it, so that both print the same output and the same error line and end with the
 * same exit status: 0, 1 when a command failed ("error: " and why, on standard error), 130 when interrupted.
 */
final class ScriptRunner {
    static final int FAILED = 1;
    static final int INTERRUPTED = 130;
    /** {@code scope:function} names in a script; Gogo's own parser is not exported, so this is a best effort. */
    private static final Pattern COMMAND = Pattern.compile("(?<![\\w.:/$-])([a-z][a-z0-9]*):([a-zA-Z][\\w-]*)");

    private final CommandProcessor processor;
    private final Logger log;

    ScriptRunner(CommandProcessor processor, Logger log) {
        this.processor = processor;
        this.log = log;
    }

    /** A session whose commands read {@code in} and print to {@code out} and {@code err}. */
    CommandSession session(InputStream in, PrintStream out, PrintStream err) {
        CommandSession session = processor.createSession(in, out, err);
        // a command typed without its scope is found by the shell, not by Gogo's first guess (UnscopedNames)
        session.put("SCOPE", UnscopedNames.SCOPE + ":*");
        return session;
    }

    /**
     * Runs {@code script} in {@code session}: its commands print as they go, a value the script returns is
     * printed after them, a failure is one line on {@code err}.
     *
     * @return the exit status
     */
    int execute(CommandSession session, String script, PrintStream out, PrintStream err) {
        try {
            Object result = session.execute(script);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
            return 0;
        } catch (InterruptedException e) {
            err.println("error: interrupted");
            return INTERRUPTED;
        } catch (Exception | Error e) {
            // an Error too (a result whose formatting throws one, a class of a bundle being updated): the script
            // still ends with its status, or a client would wait for its exit frame for ever
            err.println("error: " + describe(e));
            log.info("command failed: {}", describe(e), e);
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Waits until every {@code scope:function} the script names is registered. A command still missing two
     * seconds after every bundle is active will not come (a typo, or a bundle that is not installed): Gogo then
     * reports it. Then waits until every bundle is active. {@code wait} bounds the whole. In a runtime that has
     * been up for a while this returns at once.
     */
    void awaitCommands(BundleContext context, String script, Duration wait) throws InterruptedException {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = COMMAND.matcher(script);
        while (m.find()) {
            names.add((m.group(1) + ":" + m.group(2)).toLowerCase(Locale.ROOT)); // as Gogo keeps them
        }
        // woken by every bundle event (a command comes with its bundle's start, the script waits for the last
        // one) rather than only by the clock: the answer no longer waits up to a polling period after the start
        Object changed = new Object();
        SynchronousBundleListener wake = event -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        context.addBundleListener(wake);
        try {
            long end = System.nanoTime() + wait.toNanos();
            long settledSince = 0;
            // Gogo's table keeps a name once added, even after its command went
            for (String name : names) {
                while (!GogoCommands.names(processor).contains(name) && System.nanoTime() < end) {
                    if (!allBundlesActive(context)) {
                        settledSince = 0;
                    } else if (settledSince == 0) {
                        settledSince = System.nanoTime();
                    } else if (System.nanoTime() - settledSince > Duration.ofSeconds(2).toNanos()) {
                        break;
                    }
                    pause(changed);
                }
            }
            // and every bundle started: a command may need services of bundles that start after its own (agents)
            while (!allBundlesActive(context) && System.nanoTime() < end) {
                pause(changed);
            }
        } finally {
            try {
                context.removeBundleListener(wake);
            } catch (IllegalStateException e) {
                // the shell bundle is stopping: its listeners go with it (an interruption stays what is reported)
            }
        }
    }

    /** Until the next bundle event, at most 20 ms (an event between a check and this wait is not missed longer). */
    private static void pause(Object changed) throws InterruptedException {
        synchronized (changed) {
            changed.wait(20);
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
        while (t.getCause() != null && (t.getMessage() == null
                || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            return t.getMessage();
        }
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
