package io.harmonix.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/** The log file: who may read it, what goes in, and what a full disk does to it. */
class LogFileWriterTest {
    @TempDir
    Path dir;

    private final LogReaderService reader = (LogReaderService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {LogReaderService.class}, (proxy, method, args) -> method.getName().equals("getLog")
                    ? Collections.emptyEnumeration() : null);

    private LogFileWriter started() throws Exception {
        LogFileWriter writer = new LogFileWriter();
        Field field = LogFileWriter.class.getDeclaredField("reader");
        field.setAccessible(true);
        field.set(writer, reader);
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) ->
                        LogFileWriter.LOG_DIR.equals(args[0]) ? dir.toString() : null);
        writer.activate(context);
        return writer;
    }

    private static LogEntry entry(LogLevel level, String logger, String message) {
        return (LogEntry) Proxy.newProxyInstance(LogFileWriterTest.class.getClassLoader(),
                new Class<?>[] {LogEntry.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getLogLevel" -> level;
                    case "getLoggerName" -> logger;
                    case "getMessage" -> message;
                    case "getTime" -> 0L;
                    default -> null;
                });
    }

    @Test
    void theFileIsReadableByItsOwnerAndGroupOnlyEvenOneAnOlderVersionLeftOpen() throws Exception {
        LogFileWriter writer = started();
        writer.deactivate();
        assertEquals("rw-r-----", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("harmonix.log"))));
        Files.setPosixFilePermissions(dir.resolve("harmonix.log"), PosixFilePermissions.fromString("rw-r--r--"));
        started().deactivate();
        assertEquals("rw-r-----", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("harmonix.log"))));
    }

    @Test
    void frameworkEventsOnlyWhenTheyAreProblemsAndEveryOtherEntry() throws Exception {
        LogFileWriter writer = started();
        writer.logged(entry(LogLevel.INFO, "Events.Service", "ServiceEvent REGISTERED"));
        writer.logged(entry(LogLevel.DEBUG, "Events.Bundle", "BundleEvent STARTED"));
        writer.logged(entry(LogLevel.WARN, "Events.Framework", "FrameworkEvent WARNING"));
        writer.logged(entry(LogLevel.ERROR, "Events.Framework", "FrameworkEvent ERROR"));
        writer.logged(entry(LogLevel.INFO, "io.harmonix.runner", "run r starts"));
        writer.deactivate();
        String log = Files.readString(dir.resolve("harmonix.log"));
        assertFalse(log.contains("REGISTERED"), log);
        assertFalse(log.contains("STARTED"), log);
        assertTrue(log.contains("FrameworkEvent WARNING"), log);
        assertTrue(log.contains("FrameworkEvent ERROR"), log);
        assertTrue(log.contains("run r starts"), log);
    }

    @Test
    void aFullDiskIsSaidOnceThenLinesAreDroppedAndCountedWhenTheFileCanBeWrittenAgain() throws Exception {
        Path full = Path.of("/dev/full"); // every write to it fails with "No space left on device"
        Files.createSymbolicLink(dir.resolve("harmonix.log"), full);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream realErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            LogFileWriter writer = started();
            for (int i = 0; i < 200; i++) {
                writer.logged(entry(LogLevel.WARN, "io.harmonix.runner", "line " + i));
            }
            String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, said.lines().count(), said);
            assertTrue(said.contains("cannot write " + dir.resolve("harmonix.log").toAbsolutePath()), said);
            assertTrue(said.contains("No space left on device"), said);

            Files.delete(dir.resolve("harmonix.log")); // space again: the file is written anew
            Thread.sleep(LogFileWriter.RETRY_MILLIS + 100);
            writer.logged(entry(LogLevel.WARN, "io.harmonix.runner", "after"));
            writer.deactivate();
            String log = Files.readString(dir.resolve("harmonix.log"));
            assertTrue(log.contains("200 log line(s) were dropped: the file could not be written"), log);
            assertTrue(log.contains("after"), log);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("writing " + dir.resolve("harmonix.log")
                    .toAbsolutePath() + " again"));
        } finally {
            System.setErr(realErr);
        }
    }
}
