package io.harmonix.shell.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Writes every log entry of the framework to {@code <harmonix.log.dir>/harmonix.log} (one line each, stack traces
 * below), rolling it to {@code harmonix.log.1} past {@value #ROLL_BYTES} bytes. Entries logged before this
 * component started are taken from the log service's history. The file is readable by its owner and group only
 * ({@code rw-r-----}): a log line may quote what a user typed. When it cannot be written (a full disk), that is said
 * once on standard error, lines are dropped, a write is tried again at most every {@value #RETRY_MILLIS} ms, and
 * when one succeeds the file says how many lines were lost.
 */
// service = {}: the listener is added to the log reader directly, it is no service of its own
@Component(immediate = true, service = {})
public class LogFileWriter implements LogListener {
    static final String LOG_DIR = "harmonix.log.dir";
    private static final long ROLL_BYTES = 10L * 1024 * 1024;
    static final long RETRY_MILLIS = 1000;
    private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rw-r-----");

    @Reference
    private LogReaderService reader;

    private Path file;
    private Writer out;
    private long written;
    /** Lines dropped since the file could last be written, and when a write may be tried again (0: now). */
    private long dropped;
    private long retryAt;
    private boolean closed;

    @Activate
    void activate(BundleContext context) throws IOException {
        String dir = context.getProperty(LOG_DIR);
        file = Path.of(dir == null ? "log" : dir).toAbsolutePath().resolve("harmonix.log");
        Files.createDirectories(file.getParent());
        try {
            open();
        } catch (IOException e) { // a full disk at start: the first line written says so, and retries
            out = null;
        }
        List<LogEntry> history = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements(); ) {
            history.add(e.nextElement());
        }
        Collections.reverse(history); // the log service gives its history newest first
        synchronized (this) {
            history.forEach(this::write);
        }
        reader.addLogListener(this);
    }

    @Deactivate
    synchronized void deactivate() {
        reader.removeLogListener(this);
        closed = true; // an entry already waiting for the lock must not open the file again
        discard();
    }

    @Override
    public synchronized void logged(LogEntry entry) {
        write(entry);
    }

    /** Framework events (loggers "Events.Bundle", "Events.Service"...) are noise at INFO: only their problems. */
    private static boolean wanted(LogEntry entry) {
        String logger = entry.getLoggerName() == null ? "" : entry.getLoggerName();
        String message = entry.getMessage() == null ? "" : entry.getMessage();
        boolean event = logger.startsWith("Events.") || message.startsWith("BundleEvent ")
                || message.startsWith("ServiceEvent ") || message.startsWith("FrameworkEvent ");
        // WARN implies the levels at least as severe (ERROR, AUDIT); INFO.implies(WARN) would be true
        return !event || LogLevel.WARN.implies(entry.getLogLevel());
    }

    private void write(LogEntry entry) {
        if (closed || !wanted(entry)) {
            return;
        }
        StringBuilder line = new StringBuilder()
                .append(Instant.ofEpochMilli(entry.getTime())).append(' ')
                .append(String.format("%-5s", entry.getLogLevel())).append(" [")
                .append(entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName()).append("] ")
                .append(entry.getMessage()).append('\n');
        if (entry.getException() != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            entry.getException().printStackTrace(new java.io.PrintWriter(trace));
            line.append(trace);
        }
        long now = System.currentTimeMillis();
        if (now < retryAt) {
            dropped++;
            return;
        }
        try {
            if (out == null) { // the file failed: a fresh writer, which may open another file in its place
                open();
            }
            if (dropped > 0) {
                out.write(Instant.ofEpochMilli(now) + " WARN  [harmonix.log] " + dropped + " log line(s) were "
                        + "dropped: the file could not be written\n");
            }
            out.write(line.toString());
            out.flush();
            written += line.length();
            if (dropped > 0 || retryAt > 0) {
                System.err.println("harmonix: writing " + file + " again");
            }
            dropped = 0;
            retryAt = 0;
            if (written > ROLL_BYTES) {
                out.close();
                Files.move(file, file.resolveSibling("harmonix.log.1"), StandardCopyOption.REPLACE_EXISTING);
                open();
            }
        } catch (IOException e) {
            if (retryAt == 0) { // once, not a line per log entry
                System.err.println("harmonix: cannot write " + file + ": " + e.getMessage() + "; log lines are "
                        + "dropped until it can be written again");
            }
            dropped++;
            retryAt = now + RETRY_MILLIS;
            discard();
        }
    }

    /** A writer whose write failed may hold a half-written buffer: the next try starts from a fresh one. */
    private void discard() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // its buffer could not be flushed either: those bytes are among the lines dropped
            }
            out = null;
        }
    }

    private void open() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_AND_GROUP));
        } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(file, OWNER_AND_GROUP); // one an older version made world-readable
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        written = Files.size(file);
    }
}
