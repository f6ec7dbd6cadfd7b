package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged runtime's answers to faults under a run: a stop while a cycle is in flight (exec mode, which never
 * started again to catch up), an index or a run journal that cannot start. Each is one {@code bin/harmonix exec}.
 */
class RunFaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            if (run("umount", m.toString()) != 0) {
                run("umount", "-l", m.toString());
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /**
     * Makes {@code folder} read-only with a read-only bind mount of itself: chmod does not stop root, which these
     * tests may run as.
     */
    private void readOnly(Path folder) throws Exception {
        int status = run("mount", "--bind", "-o", "ro", folder.toString(), folder.toString());
        // a failure, not a skip: a skipped test would prove nothing about read-only folders (CI runs as root)
        assertEquals(0, status, "a read-only bind mount needs root (or mount rights): " + folder
                + " cannot be made read-only for this process otherwise");
        mounts.add(folder);
    }

    @Test
    void inExecModeAStopDuringACycleLeavesThatCommittedCycleInTheIndex() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path data = dir.resolve("data");
        // the files agent counts the installation folder: the stop lands while a cycle is under way; all in one
        // exec, so that no later start can mend the index behind the commit protocol's back
        PackagedRuntime.Result r = runtime.exec("cycle:run --id s --agents files --cycles forever --interval 0ms; "
                + "cycle:stop s; index:replay s --json", "--data", data.toString());
        assertEquals(0, r.exit(), r.toString());
        Matcher stopped = Pattern.compile("run s: stopped, cycles (\\d+)/forever").matcher(r.out());
        assertTrue(stopped.find(), r.toString());
        long committed = Long.parseLong(stopped.group(1));
        assertTrue(committed >= 1, r.toString());
        List<Long> indexed = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("{")) {
                indexed.add(JSON.readTree(line).get("cycle").asLong());
            }
        }
        assertEquals(LongStream.rangeClosed(1, committed).boxed().toList(), indexed,
                "every committed cycle of the stopped run is in the index, the last one included");
    }

    @Test
    void aRunEndsWithTheReasonWhenTheIndexConfigurationIsRefused() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Files.writeString(runtime.home.resolve("etc/io.harmonix.index.cfg"), "sync = sometimes\n");
        PackagedRuntime.Result r = runtime.exec("cycle:run --id c --agents files --cycles 2 --interval 0ms --wait",
                "--data", dir.resolve("data").toString());
        assertEquals(1, r.exit(), r.toString());
        String said = r.out() + r.err();
        assertTrue(said.contains("no cycle recorder (the index) is present"), said);
        assertTrue(said.contains("component io.harmonix.index.internal.IndexComponent (bundle io.harmonix.index) "
                + "failed to start"), said);
        assertTrue(said.contains("sync"), "the refused key is named: " + said);
    }

    /** A run on a fresh data folder (so that its index and journal exist), then {@code folder} of it read-only. */
    private void oneRunThenReadOnly(PackagedRuntime runtime, Path data, String folder) throws Exception {
        PackagedRuntime.Result first = runtime.exec("cycle:run --id a --agents files --cycles 1 --interval 0ms --wait",
                "--data", data.toString());
        assertEquals(0, first.exit(), first.toString());
        readOnly(data.resolve(folder));
    }

    @Test
    void aReadOnlyIndexFolderIsTheRunsErrorNotAHang() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path data = dir.resolve("data");
        oneRunThenReadOnly(runtime, data, "index");
        PackagedRuntime.Result r = runtime.exec("cycle:run --id b --agents files --cycles 2 --interval 0ms --wait",
                "--data", data.toString());
        assertEquals(1, r.exit(), r.toString());
        String said = r.out() + r.err();
        assertTrue(said.contains("no cycle recorder (the index)"), said);
        assertTrue(said.contains("Read-only file system"), said);
        assertTrue(said.contains(data.resolve("index").toString()), "the folder is named: " + said);
    }

    @Test
    void aReadOnlyDatabaseFolderIsCycleRunsErrorNotNoRuns() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path data = dir.resolve("data");
        oneRunThenReadOnly(runtime, data, "derby");
        PackagedRuntime.Result r = runtime.exec("cycle:runs", "--data", data.toString());
        assertEquals(1, r.exit(), r.toString());
        String said = r.out() + r.err();
        assertTrue(!r.out().contains("no runs"), said);
        assertTrue(said.contains("cycle:runs: runs are durable, and the run journal"), said);
        assertTrue(said.contains("read-only"), said);
        assertTrue(said.contains("(its database: " + data.resolve("derby")), "the folder is named: " + said);
    }
}
