package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Isolation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a runtime stopped in the middle of a check leaves, cleared when the sandbox starts again. */
class ActivationTest {
    @TempDir
    Path dir;

    @Test
    void leftoversOfAStoppedRuntimeAreClearedAtTheNextStart() throws Exception {
        String token = Long.toString(System.nanoTime());
        long open;
        Path leftover;
        Process orphan;
        try (SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults())) {
            f.repo.write("a", "a").commit("a");
            // as a stopped runtime leaves them: an open record, its worktree, a process in its cgroups
            open = new CheckStore(f.derby.dataSource()).start("app", f.repo.root().toString(), "build", "sleep",
                    Instant.now(), Isolation.SANDBOX);
            leftover = Files.createDirectories(SandboxRunner.worktrees(f.home).resolve(open + "/tree"));
            Files.writeString(leftover.resolve("file"), "left");
            Files.setPosixFilePermissions(leftover, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
            Cgroups groups = Cgroups.probe(Integer.toHexString(f.home.toAbsolutePath().normalize().toString()
                    .hashCode())).orElseThrow();
            Cgroups.Group group = groups.create("check-" + open, 64L << 20, 16);
            orphan = new ProcessBuilder("sh", "-c", group.enterLine() + " && exec sleep 1000." + token).start();
            while (SandboxExecutorTest.processesWith(token).isEmpty()) {
                Thread.sleep(10);
            }
        }
        try (SandboxFixture again = new SandboxFixture(dir.resolve("another-runtime"), SandboxFixture.defaults())) {
            // a second fixture on another folder must not touch the first runtime's groups
            assertEquals(1, SandboxExecutorTest.processesWith(token).size(), "another runtime's check is not its own");
        }
        try (SandboxFixture f = reopen()) {
            CheckRecord closed = f.sandbox.check(open).orElseThrow();
            assertTrue(closed.error().startsWith("the runtime stopped while it ran"), closed.toString());
            assertFalse(Files.exists(leftover.getParent()), "its worktree is deleted");
            assertTrue(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "its process is killed");
            assertEquals(List.of(), SandboxExecutorTest.processesWith(token));
            assertTrue(f.logged.stream().anyMatch(l -> l.contains("were still running when the runtime stopped")),
                    f.logged.toString());
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
            assertTrue(folders.stream().allMatch(Files::isDirectory), folders.toString());
        }
        assertEquals(List.of(), folders.stream().filter(Files::exists).toList(), "nothing left in /sys/fs/cgroup");
    }

    /** The same home and database again, as a restarted runtime opens them. */
    private SandboxFixture reopen() throws Exception {
        return new SandboxFixture(dir, SandboxFixture.defaults());
    }
}
