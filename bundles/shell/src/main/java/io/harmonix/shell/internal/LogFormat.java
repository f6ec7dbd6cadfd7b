package io.harmonix.shell.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.log.LogEntry;

/**
 * One log entry as one line of {@code harmonix.log}: time (UTC, ISO-8601), level, bundle, the run or workflow
 * instance it is about when there is one, then the message (and the stack trace). {@code text}:
 * {@code 2026-11-26T16:00:00.123Z INFO  [io.harmonix.runner] run=nightly message}, the trace on the lines below;
 * {@code json}: one JSON object per line (JSON Lines, for log shippers), keys {@code time, level, bundle, run,
 * instance, thread, logger, message, exception}, absent ones left out, the trace in {@code exception}.
 *
 * <p>Where the run or instance comes from: the thread the entry was logged on (a run's own thread is
 * {@code harmonix-run-<id>}), else a workflow instance id ({@code wf-} and hex digits) named in the message.
 */
enum LogFormat {
    TEXT, JSON;

    static final String RUN_THREAD = "harmonix-run-";
    private static final Pattern INSTANCE = Pattern.compile("\\b(wf-[0-9a-f]{6,32})\\b");
    private static final JsonFactory FACTORY = new JsonFactory();

    /** @throws IllegalArgumentException naming what is expected */
    static LogFormat of(String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("expected text or json, got '" + value.trim() + "'");
        };
    }

    /** @return the line (ending in a line feed; for text, the stack trace after it) */
    String format(LogEntry entry) {
        String thread = entry.getThreadInfo();
        String run = thread != null && thread.startsWith(RUN_THREAD) ? thread.substring(RUN_THREAD.length()) : null;
        String message = entry.getMessage() == null ? "" : entry.getMessage();
        String instance = null;
        if (run == null) {
            Matcher m = INSTANCE.matcher(message);
            instance = m.find() ? m.group(1) : null;
        }
        String bundle = entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName();
        String trace = null;
        if (entry.getException() != null) {
            StringWriter w = new StringWriter();
            entry.getException().printStackTrace(new PrintWriter(w));
            trace = w.toString();
        }
        return line(Instant.ofEpochMilli(entry.getTime()), String.valueOf(entry.getLogLevel()), bundle, run, instance,
                thread, entry.getLoggerName(), message, trace);
    }

    /** @return a line of the log file's own (lines it dropped), at WARN, from "bundle" harmonix.log */
    String notice(long millis, String message) {
        return line(Instant.ofEpochMilli(millis), "WARN", "harmonix.log", null, null, null, null, message, null);
    }

    private String line(Instant time, String level, String bundle, String run, String instance, String thread,
            String logger, String message, String trace) {
        return this == TEXT ? text(time, level, bundle, run, instance, message, trace)
                : json(time, level, bundle, run, instance, thread, logger, message, trace);
    }

    private static String text(Instant time, String level, String bundle, String run, String instance,
            String message, String trace) {
        StringBuilder line = new StringBuilder().append(time).append(' ')
                .append(String.format("%-5s", level)).append(" [").append(bundle).append("] ");
        if (run != null) {
            line.append("run=").append(run).append(' ');
        } else if (instance != null) {
            line.append("instance=").append(instance).append(' ');
        }
        // a message's own line breaks continue it on indented lines: no text a command or a client was given can
        // put a line in the log that reads as an entry of its own (time, level, bundle)
        line.append(message.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\n    ")).append('\n');
        if (trace != null) {
            line.append(trace);
        }
        return line.toString();
    }

    private static String json(Instant time, String level, String bundle, String run, String instance,
            String thread, String logger, String message, String trace) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeStringField("level", level);
            g.writeStringField("bundle", bundle);
            if (run != null) {
                g.writeStringField("run", run);
            }
            if (instance != null) {
                g.writeStringField("instance", instance);
            }
            if (thread != null) {
                g.writeStringField("thread", thread);
            }
            if (logger != null) {
                g.writeStringField("logger", logger);
            }
            g.writeStringField("message", message);
            if (trace != null) {
                g.writeStringField("exception", trace);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string cannot fail", e);
        }
        return out.append('\n').toString();
    }
}
