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

    /** The log service's history, newest first, as LogReaderService.getLog gives it. */
    private final java.util.List<LogEntry> history = new java.util.ArrayList<>();
    private final LogReaderService reader = (LogReaderService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {LogReaderService.class}, (proxy, method, args) -> method.getName().equals("getLog")
                    ? Collections.enumeration(history) : null);
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private LogFileWriter started() throws Exception {
        return started(java.util.Map.of());
    }

    private LogFileWriter started(java.util.Map<String, String> properties) throws Exception {
        LogFileWriter writer = new LogFileWriter();
        Field field = LogFileWriter.class.getDeclaredField("reader");
        field.setAccessible(true);
        field.set(writer, reader);
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) ->
                        LogFileWriter.LOG_DIR.equals(args[0]) ? dir.toString() : properties.get(args[0]));
        writer.activate(context);
        return writer;
    }

    private static LogEntry entry(LogLevel level, String logger, String message) {
        return entry(level, logger, message, "main");
    }

    private static LogEntry entry(LogLevel level, String logger, String message, String thread) {
        long sequence = SEQUENCE.incrementAndGet();
        return (LogEntry) Proxy.newProxyInstance(LogFileWriterTest.class.getClassLoader(),
                new Class<?>[] {LogEntry.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getLogLevel" -> level;
                    case "getLoggerName" -> logger;
                    case "getMessage" -> message;
                    case "getTime" -> 0L;
                    case "getThreadInfo" -> thread;
                    case "getSequence" -> sequence;
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

    @Test
    void aRunsThreadOrAnInstanceInTheMessageNamesItInTheLine() throws Exception {
        LogFileWriter writer = started();
        writer.logged(entry(LogLevel.WARN, "io.harmonix.runner", "agent files failed", "harmonix-run-nightly"));
        writer.logged(entry(LogLevel.INFO, "io.harmonix.workflow", "instance wf-0a1b2c3d ended", "harmonix-workflow"));
        writer.logged(entry(LogLevel.INFO, "io.harmonix.index", "index open", "main"));
        writer.deactivate();
        java.util.List<String> lines = Files.readAllLines(dir.resolve("harmonix.log"));
        assertEquals("1970-01-01T00:00:00Z WARN  [?] run=nightly agent files failed", lines.get(0));
        assertEquals("1970-01-01T00:00:00Z INFO  [?] instance=wf-0a1b2c3d instance wf-0a1b2c3d ended", lines.get(1));
        assertEquals("1970-01-01T00:00:00Z INFO  [?] index open", lines.get(2));
    }

    @Test
    void aMessageCannotForgeAnEntryOfItsOwnNorBreakTheFileWithCharactersUtf8CannotHold() throws Exception {
        LogFileWriter writer = started();
        // what a client's script can put in a message: a line break and a line that reads as an entry
        writer.logged(entry(LogLevel.INFO, "io.harmonix.shell", "script: x\r\n1970-01-01T00:00:00Z ERROR "
                + "[io.harmonix.autonomy] quarantine lifted"));
        writer.logged(entry(LogLevel.INFO, "io.harmonix.shell", "script: cycle:show \ud800 (an unpaired surrogate)"));
        writer.logged(entry(LogLevel.INFO, "io.harmonix.index", "index open"));
        writer.deactivate();
        java.util.List<String> lines = Files.readAllLines(dir.resolve("harmonix.log"));
        assertEquals(java.util.List.of(
                "1970-01-01T00:00:00Z INFO  [?] script: x",
                "    1970-01-01T00:00:00Z ERROR [io.harmonix.autonomy] quarantine lifted",
                "1970-01-01T00:00:00Z INFO  [?] script: cycle:show ? (an unpaired surrogate)",
                "1970-01-01T00:00:00Z INFO  [?] index open"), lines);
    }

    @Test
    void entriesLoggedJustBeforeItStopsAreWrittenFromTheHistoryOnceEach() throws Exception {
        LogFileWriter writer = started();
        LogEntry handed = entry(LogLevel.INFO, "io.harmonix.index", "index closed");
        history.add(0, handed);
        writer.logged(handed);
        // logged by a bundle that stopped just before, not yet handed to the listener (the log service's thread)
        history.add(0, entry(LogLevel.INFO, "io.harmonix.store", "Derby database data/derby shut down"));
        writer.deactivate();
        assertEquals(java.util.List.of("1970-01-01T00:00:00Z INFO  [?] index closed",
                "1970-01-01T00:00:00Z INFO  [?] Derby database data/derby shut down"),
                Files.readAllLines(dir.resolve("harmonix.log")));
    }

    /**
     * Felix Log numbers an entry before it takes its lock to add it: two threads logging in the same instant hand
     * the listener (and the history) their entries out of sequence order. Both are written, each once. (A
     * DeployFolderIT run lost the deployer thread's "big.yaml not deployed", numbered just before FileInstall's
     * thread logged a jar.)
     */
    @Test
    void anEntryHandedOverAfterOneNumberedLaterIsWrittenAndEachEntryOnce() throws Exception {
        LogFileWriter writer = started();
        LogEntry first = entry(LogLevel.ERROR, "io.harmonix.workflow", "big.yaml not deployed");
        LogEntry second = entry(LogLevel.ERROR, "io.harmonix.workflow", "plain.jar not installed");
        history.add(0, second);
        writer.logged(second);
        history.add(0, first);
        writer.logged(first);
        writer.deactivate(); // the history has both as well: neither is written again
        assertEquals(java.util.List.of("1970-01-01T00:00:00Z ERROR [?] plain.jar not installed",
                "1970-01-01T00:00:00Z ERROR [?] big.yaml not deployed"),
                Files.readAllLines(dir.resolve("harmonix.log")));
    }

    /** It remembers what it took for a bounded number of entries: a long history is still written once. */
    @Test
    void moreEntriesThanItRemembersAreEachWrittenOnce() throws Exception {
        LogFileWriter writer = started();
        int n = LogFileWriter.REMEMBERED * 2 + 10;
        for (int i = 0; i < n; i++) {
            LogEntry e = entry(LogLevel.INFO, "io.harmonix.runner", "entry " + i);
            history.add(0, e);
            writer.logged(e);
        }
        writer.deactivate();
        java.util.List<String> lines = Files.readAllLines(dir.resolve("harmonix.log"));
        assertEquals(n, lines.size());
        assertEquals("1970-01-01T00:00:00Z INFO  [?] entry " + (n - 1), lines.get(n - 1));
    }

    @Test
    void jsonLinesCarryTheSameFieldsOneObjectPerLine() throws Exception {
        LogFileWriter writer = started(java.util.Map.of(LogFileWriter.FORMAT, "json"));
        writer.logged(entry(LogLevel.WARN, "io.harmonix.runner", "agent \"files\" failed\nbadly",
                "harmonix-run-nightly"));
        writer.logged(entry(LogLevel.INFO, "io.harmonix.workflow", "instance wf-0a1b2c3d ended", "pool-1"));
        writer.deactivate();
        java.util.List<String> lines = Files.readAllLines(dir.resolve("harmonix.log"));
        assertEquals(2, lines.size(), "a message with a line feed stays on its line: " + lines);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var first = json.readTree(lines.get(0));
        assertEquals("1970-01-01T00:00:00Z", first.get("time").asText());
        assertEquals("WARN", first.get("level").asText());
        assertEquals("?", first.get("bundle").asText());
        assertEquals("nightly", first.get("run").asText());
        assertEquals("io.harmonix.runner", first.get("logger").asText());
        assertEquals("agent \"files\" failed\nbadly", first.get("message").asText());
        assertFalse(first.has("instance"));
        var second = json.readTree(lines.get(1));
        assertEquals("wf-0a1b2c3d", second.get("instance").asText());
        assertFalse(second.has("run"));
    }

    @Test
    void pastItsSizeTheFileRollsAndOnlyTheConfiguredNumberOfOldFilesIsKept() throws Exception {
        LogFileWriter writer = started(java.util.Map.of(LogFileWriter.MAX_BYTES, "2k", LogFileWriter.FILES, "3"));
        for (int i = 0; i < 400; i++) { // about 60 bytes a line: 24 KB, a dozen rolls
            writer.logged(entry(LogLevel.INFO, "io.harmonix.runner", String.format("line %05d of the filler", i)));
        }
        writer.deactivate();
        assertTrue(Files.exists(dir.resolve("harmonix.log.3")));
        assertFalse(Files.exists(dir.resolve("harmonix.log.4")), "no more than 3 rolled files");
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (String name : new String[] {"harmonix.log.3", "harmonix.log.2", "harmonix.log.1", "harmonix.log"}) {
            Path f = dir.resolve(name);
            assertTrue(Files.size(f) <= 2048 + 100, name + " holds at most the size and one line: " + Files.size(f));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            kept.addAll(Files.readAllLines(f));
        }
        assertTrue(kept.get(kept.size() - 1).endsWith("line 00399 of the filler"), kept.get(kept.size() - 1));
        int first = Integer.parseInt(kept.get(0).replaceAll(".*line (\\d+).*", "$1"));
        for (int i = 0; i < kept.size(); i++) { // the files hold the newest lines, in order, none missing
            assertTrue(kept.get(i).endsWith(String.format("line %05d of the filler", first + i)), kept.get(i));
        }
        assertTrue(first > 0, "the oldest lines were dropped with the oldest file");
    }

    @Test
    void aWrongSettingIsSaidAndItsDefaultUsed() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            LogFileWriter writer = started(java.util.Map.of(LogFileWriter.FORMAT, "xml",
                    LogFileWriter.MAX_BYTES, "12 parsecs", LogFileWriter.FILES, "0"));
            writer.logged(entry(LogLevel.INFO, "io.harmonix.runner", "still written"));
            writer.deactivate();
        } finally {
            System.setErr(saved);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("harmonix.log.format (etc/harmonix.properties): expected text or json, got 'xml'; "
                + "using text"), said);
        assertTrue(said.contains("harmonix.log.maxBytes (etc/harmonix.properties): expected a size in bytes"), said);
        assertTrue(said.contains("got '12 parsecs'; using 10m"), said);
        assertTrue(said.contains("harmonix.log.files (etc/harmonix.properties): expected how many rolled files to "
                + "keep, 1 to 1000, got '0'; using 5"), said);
        assertTrue(Files.readString(dir.resolve("harmonix.log")).endsWith("INFO  [?] still written\n"));
    }
}
