package io.harmonix.shell.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * component started are taken from the log service's history.
 */
// service = {}: the listener is added to the log reader directly, it is no service of its own
@Component(immediate = true, service = {})
public class LogFileWriter implements LogListener {
    static final String LOG_DIR = "harmonix.log.dir";
    private static final long ROLL_BYTES = 10L * 1024 * 1024;

    @Reference
    private LogReaderService reader;

    private Path file;
    private Writer out;
    private long written;

    @Activate
    void activate(BundleContext context) throws IOException {
        String dir = context.getProperty(LOG_DIR);
        file = Path.of(dir == null ? "log" : dir).toAbsolutePath().resolve("harmonix.log");
        Files.createDirectories(file.getParent());
        open();
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
    synchronized void deactivate() throws IOException {
        reader.removeLogListener(this);
        out.close();
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
        return !event || entry.getLogLevel().implies(LogLevel.WARN);
    }

    private void write(LogEntry entry) {
        if (!wanted(entry)) {
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
        try {
            out.write(line.toString());
            out.flush();
            written += line.length();
            if (written > ROLL_BYTES) {
                out.close();
                Files.move(file, file.resolveSibling("harmonix.log.1"), StandardCopyOption.REPLACE_EXISTING);
                open();
            }
        } catch (IOException e) {
            System.err.println("harmonix: cannot write " + file + ": " + e.getMessage());
        }
    }

    private void open() throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(file);
    }
}
