package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Isolation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a runtime stopped in the middle of a check leaves, cleared when the sandbox starts again on the same data
 * folder and by no runtime on another; and the cgroup folders, which exist only while a check runs.
 */
class ActivationTest {
    @TempDir
    Path dir;

    @Test
    void inExecModeTheIsolationIsProbedAtTheFirstQuestionAndIsTheSameAsAtAStart() throws Exception {
        SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults());
        try {
            Isolation atStart = f.sandbox.isolation();
            assertTrue(f.logged.stream().anyMatch(l -> l.contains("fleet sandbox: isolation")), "probed at the "
                    + "activation of the other modes: " + f.logged);
            List<String> logged = new java.util.ArrayList<>();
            SandboxComponent exec = new SandboxComponent(SandboxFixture.defaults(), f.home, dir.resolve("exec-data"),
                    f.derby.dataSource(), f.derby.migrator(), null, SandboxFixture.logger(logged), true);
            assertTrue(logged.stream().noneMatch(l -> l.contains("fleet sandbox: isolation")),
                    "no probe (bubblewrap started) by the activation of exec mode: " + logged);
            assertEquals(atStart, exec.isolation());
            assertEquals(atStart, exec.isolation());
            assertEquals(1, logged.stream().filter(l -> l.contains("fleet sandbox: isolation")).count(),
                    "probed once, at the first question: " + logged);
            exec.deactivate();
        } finally {
            f.close();
        }
    }

    @Test
    void leftoversOfAStoppedRuntimeAreClearedAtTheNextStartOnItsDataFolderOnly() throws Exception {
        String token = Long.toString(System.nanoTime());
        SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults());
        f.repo.write("a", "a").commit("a");
        // as a runtime gone without stopping its component leaves them: an open record, its worktree (read-only, as
        // a build may leave it), a process in its cgroups
        long open = new CheckStore(f.derby.dataSource()).start("app", f.repo.root().toString(), "build", "sleep",
                Instant.now(), Isolation.SANDBOX);
        Path leftover = Files.createDirectories(SandboxRunner.worktrees(f.data).resolve(open + "/tree"));
        Files.writeString(leftover.resolve("file"), "left");
        Files.setPosixFilePermissions(leftover, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        Cgroups groups = Cgroups.probe(Cgroups.owner(f.data)).orElseThrow();
        Cgroups.Group group = groups.create("check-" + open, 64L << 20, 16);
        Process orphan = new ProcessBuilder("sh", "-c", group.enterLine() + " && exec sleep 1000." + token).start();
        while (SandboxExecutorTest.processesWith(token).isEmpty()) {
            Thread.sleep(10);
        }
        f.derby.close();

        try (SandboxFixture other = new SandboxFixture(dir.resolve("other"), f.home, dir.resolve("other-data"),
                SandboxFixture.defaults())) {
            assertNotEquals(f.sandbox.cgroups().orElseThrow().folders(), other.sandbox.cgroups().orElseThrow()
                    .folders(), "two data folders of one home: two owners");
            assertEquals(1, SandboxExecutorTest.processesWith(token).size(), "another data folder's check lives");
            assertTrue(Files.exists(leftover.resolve("file")), "another data folder's worktree stays");
            assertTrue(groups.folders().stream().allMatch(Files::isDirectory), "another data folder's cgroups stay");
        }
        try (SandboxFixture again = reopen()) {
            CheckRecord closed = again.sandbox.check(open).orElseThrow();
            assertTrue(closed.error().startsWith("the runtime stopped while it ran"), closed.toString());
            assertFalse(Files.exists(leftover.getParent()), "its worktree is deleted");
            assertTrue(orphan.waitFor(5, TimeUnit.SECONDS), "its process is killed");
            assertEquals(List.of(), SandboxExecutorTest.processesWith(token));
            assertEquals(List.of(), again.cgroupFolders(), "its cgroups and their folders are removed");
            assertTrue(again.logged.stream().anyMatch(l -> l.contains("were still running when the runtime stopped")),
                    again.logged.toString());
            assertTrue(again.logged.stream().anyMatch(l -> l.contains("cgroup(s) a killed runtime on")),
                    again.logged.toString());
        }
    }

    @Test
    void stoppingRemovesTheRuntimesCgroupFolders() throws Exception {
        List<Path> folders;
        try (SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults())) {
            f.repo.write("a", "a").commit("a");
            folders = f.sandbox.cgroups().orElseThrow().folders();
            for (int i = 0; i < 3; i++) {
                assertTrue(f.run("HEAD", "sleep 0.1 & true").passed());
            }
        }
        assertEquals(List.of(), folders.stream().filter(Files::exists).toList(), "nothing left in /sys/fs/cgroup");
    }

    @Test
    void theCgroupFoldersExistOnlyWhileACheckRunsSoARuntimeNeverStoppedLeavesNone() throws Exception {
        SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults());
        try {
            f.repo.write("a", "a").commit("a");
            List<Path> folders = f.sandbox.cgroups().orElseThrow().folders();
            assertEquals(List.of(), f.cgroupFolders(), "none after the probe at activation");
            String token = Long.toString(System.nanoTime());
            CompletableFuture<CheckRecord> check = f.startWaiting(token);
            assertEquals(folders, f.cgroupFolders(), "made for the check");
            for (Path folder : folders) {
                List<String> procs = Files.readAllLines(folder.resolve("check-" + (f.sandbox.checks("app", 1).get(0)
                        .id()) + "/cgroup.procs"));
                assertFalse(procs.isEmpty(), "its processes are in its group of " + folder);
            }
            f.release();
            CheckRecord r = check.get();
            assertTrue(r.passed() && r.log().contains("released " + token), r.toString());
            assertEquals(List.of(), f.cgroupFolders(), "none once the check ended, the component still active");
        } finally {
            f.derby.close(); // the component is never deactivated: a test that forgets, a runtime killed between checks
        }
        assertEquals(List.of(), f.cgroupFolders());
    }

    @Test
    void theOwnerIsTheDataFoldersRealPath() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), data);
        Path other = Files.createDirectories(dir.resolve("other"));
        assertEquals(Cgroups.owner(data), Cgroups.owner(link), "one folder, one owner, however it is reached");
        assertNotEquals(Cgroups.owner(data), Cgroups.owner(other));
        assertTrue(Cgroups.owner(data).matches("[0-9a-f]{12}"), Cgroups.owner(data));
    }

    /** The same home, data folder and database again, as a restarted runtime opens them. */
    private SandboxFixture reopen() throws Exception {
        return new SandboxFixture(dir, SandboxFixture.defaults());
    }
}
