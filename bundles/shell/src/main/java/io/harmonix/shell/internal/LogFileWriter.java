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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashSet;
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
 * Writes every log entry of the framework to {@code <harmonix.log.dir>/harmonix.log}, one line each as
 * {@link LogFormat} says (framework property {@value #FORMAT}: {@code text}, the default, or {@code json} for JSON
 * Lines), rolling it past {@value #MAX_BYTES} bytes (default 10 MiB; {@code k}, {@code m}, {@code g} suffixes) to
 * {@code harmonix.log.1}, the older ones moving up to {@code harmonix.log.N} ({@value #FILES}, default 5) and the
 * oldest deleted. Entries logged before this component started are taken from the log service's history. The files
 * are readable by their owner and group only ({@code rw-r-----}): a log line may quote what a user typed. When the
 * file cannot be written (a full disk), that is said once on standard error, lines are dropped, a write is tried
 * again at most every {@value #RETRY_MILLIS} ms, and when one succeeds the file says how many lines were lost.
 * A wrong setting is said on standard error and its default used: the log is where the runtime explains itself.
 */
// service = {}: the listener is added to the log reader directly, it is no service of its own
@Component(immediate = true, service = {})
public class LogFileWriter implements LogListener {
    static final String LOG_DIR = "harmonix.log.dir";
    static final String FORMAT = "harmonix.log.format";
    static final String MAX_BYTES = "harmonix.log.maxBytes";
    static final String FILES = "harmonix.log.files";
    private static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    private static final int DEFAULT_FILES = 5;
    static final long RETRY_MILLIS = 1000;
    private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rw-r-----");

    @Reference
    private LogReaderService reader;

    private Path file;
    private LogFormat format = LogFormat.TEXT;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private int files = DEFAULT_FILES;
    private Writer out;
    private long written;
    /** Lines dropped since the file could last be written, and when a write may be tried again (0: now). */
    private long dropped;
    private long retryAt;
    private boolean closed;
    /**
     * The sequence numbers of the entries taken (written or not wanted), so that each is taken once: around
     * activation and deactivation both the history and the listener hand over the same entries. Not the highest
     * number taken: Felix Log numbers an entry before it takes its lock to add it, so two threads logging in the
     * same instant hand over their entries out of sequence order, and a "higher than the last" check dropped the one
     * that came second (a DeployFolderIT run lost the deploy thread's "big.yaml not deployed", numbered just before
     * FileInstall's thread logged a jar). The newest {@value #REMEMBERED} taken are remembered; a number below
     * {@link #forgottenBelow} counts as taken: no entry comes that many entries late.
     */
    private final Set<Long> taken = new LinkedHashSet<>();
    private long forgottenBelow;
    static final int REMEMBERED = 1024;

    @Activate
    void activate(BundleContext context) throws IOException {
        String dir = context.getProperty(LOG_DIR);
        file = Path.of(dir == null ? "log" : dir).toAbsolutePath().resolve("harmonix.log");
        settings(context);
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
        synchronized (this) {
            writeNewerFromHistory(); // logged between the history read and the listener added
        }
    }

    /** Writes, oldest first, the entries of the log service's history this writer has not taken yet. */
    private void writeNewerFromHistory() {
        List<LogEntry> pending = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements(); ) {
            LogEntry entry = e.nextElement();
            if (!isTaken(entry.getSequence())) {
                pending.add(entry);
            }
        }
        Collections.reverse(pending); // newest first in the history
        pending.forEach(this::write);
    }

    /** Reads the format, size and file count; a wrong one is said on standard error and its default kept. */
    private void settings(BundleContext context) {
        try {
            format = LogFormat.of(context.getProperty(FORMAT));
        } catch (IllegalArgumentException e) {
            System.err.println("harmonix: " + FORMAT + " (etc/harmonix.properties): " + e.getMessage()
                    + "; using text");
        }
        String size = context.getProperty(MAX_BYTES);
        try {
            maxBytes = size == null || size.isBlank() ? DEFAULT_MAX_BYTES : bytes(size.trim());
        } catch (IllegalArgumentException e) {
            System.err.println("harmonix: " + MAX_BYTES + " (etc/harmonix.properties): expected a size in bytes of "
                    + "at least 1024, with an optional k, m or g suffix (10m), got '" + size.trim() + "'; using 10m");
        }
        String count = context.getProperty(FILES);
        try {
            files = count == null || count.isBlank() ? DEFAULT_FILES : Integer.parseInt(count.trim());
            if (files < 1 || files > 1000) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            files = DEFAULT_FILES;
            System.err.println("harmonix: " + FILES + " (etc/harmonix.properties): expected how many rolled files "
                    + "to keep, 1 to 1000, got '" + count.trim() + "'; using " + DEFAULT_FILES);
        }
    }

    static long bytes(String size) {
        String s = size.toLowerCase(java.util.Locale.ROOT);
        long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        try {
            long n = Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
            if (n < 1024) {
                throw new IllegalArgumentException("below 1024 bytes");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + size, e);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        reader.removeLogListener(this);
        // the log service hands entries to listeners on a thread of its own: the last ones logged before this
        // bundle stops (the store's "Derby database ... shut down", logged by a bundle stopped just before) may not
        // have reached this listener yet; its history has them
        writeNewerFromHistory();
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
        if (closed || isTaken(entry.getSequence())) {
            return; // written already (from the history, then handed to the listener as well)
        }
        take(entry.getSequence());
        if (!wanted(entry)) {
            return;
        }
        String line = format.format(entry);
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
                out.write(format.notice(now, dropped + " log line(s) were dropped: the file could not be written"));
            }
            out.write(line);
            out.flush();
            written += line.getBytes(StandardCharsets.UTF_8).length;
            if (dropped > 0 || retryAt > 0) {
                System.err.println("harmonix: writing " + file + " again");
            }
            dropped = 0;
            retryAt = 0;
            if (written > maxBytes) {
                out.close();
                roll();
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

    private boolean isTaken(long sequence) {
        return sequence < forgottenBelow || taken.contains(sequence);
    }

    private void take(long sequence) {
        taken.add(sequence);
        if (taken.size() > REMEMBERED) {
            Iterator<Long> oldest = taken.iterator();
            forgottenBelow = Math.max(forgottenBelow, oldest.next() + 1);
            oldest.remove();
        }
    }

    /** harmonix.log.N-1 to .N, ..., harmonix.log to .1; the oldest, harmonix.log.N, is overwritten (dropped). */
    private void roll() throws IOException {
        for (int i = files - 1; i >= 1; i--) {
            Path older = file.resolveSibling("harmonix.log." + i);
            if (Files.exists(older, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(older, file.resolveSibling("harmonix.log." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling("harmonix.log.1"), StandardCopyOption.REPLACE_EXISTING);
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
        // an encoder that replaces what it cannot encode (an unpaired surrogate in a message): Files.newBufferedWriter
        // throws there, and half a line went out twice with every line of the next second lost
        out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), StandardCharsets.UTF_8));
        written = Files.size(file);
    }
}
