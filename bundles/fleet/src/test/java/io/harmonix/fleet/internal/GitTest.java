package io.harmonix.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.DiscoveryReport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What discovery's git does with repositories that are too large, stalled, or another user's. */
class GitTest extends FleetUnderOneRoot {
    @Test
    void aHugeFileOfABareRepositoryIsNotReadWhole() throws Exception {
        // 100 MiB of blanks: a few hundred kilobytes in git, a hundred megabytes once shown
        Path bare = fleet.git.bare(root.resolve("big.git"), "package.json", " ".repeat(100 << 20), "Makefile",
                "build:\n\ttrue\n");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RepoFiles files = RepoFiles.of(bare, FleetSettings.defaults().gitTimeout());
        long before = threads.getCurrentThreadAllocatedBytes();
        Optional<String> read = files.read("package.json");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(Optional.empty(), read, "larger than " + RepoFiles.MAX_BYTES + " bytes: no build file");
        assertTrue(allocated < 4L * RepoFiles.MAX_BYTES, "read at most the limit, not the whole file: allocated "
                + allocated + " bytes");
        assertEquals(Optional.of("build:\n\ttrue\n"), files.read("Makefile"), "a small one is read");
    }

    @Test
    void aGitThatStallsIsStoppedAtTheTimeLimitAndTheRestIsDiscovered() throws Exception {
        fleet.git.workingTree(root.resolve("app"), "build.sh", "true\n");
        Path stalled = fleet.git.workingTree(root.resolve("stalled"), "build.sh", "true\n");
        // git opens the alternates file before it reads any object: a FIFO nobody writes blocks it for ever
        Process mkfifo = new ProcessBuilder("mkfifo", stalled.resolve(".git/objects/info/alternates").toString())
                .inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        // the limit is the fleet's gitTimeout (30s by default, which this test would wait out); 5s still leaves
        // a git that answers in milliseconds a wide margin on a loaded machine
        fleet.gitTimeout(Duration.ofSeconds(5));
        DiscoveryReport r = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> fleet.engine.discover(),
                "discovery waited for the stalled git");
        assertEquals(List.of("app", "stalled"), r.repositories().stream().map(x -> x.name()).toList());
        String problem = fleet.engine.repository("stalled").orElseThrow().problem();
        assertTrue(problem.contains("took more than 5s (stopped)"), problem);
        assertTrue(fleet.engine.repository("app").orElseThrow().healthy());
    }

    @Test
    void gitsOwnMessageIsWhatAFailureSaysEveryTimeNeverAStreamClosedUnderIt() throws Exception {
        // Seen once in a whole-suite run: git's end is seen by waitFor before the watchdog's onExit completes (on the
        // common fork-join pool, kept busy here as on a loaded machine); the watchdog, cancelled then, stopped the
        // ended process, which closed the stderr still being read: "Stream closed" instead of git's message. It also
        // needs the stderr reader to lag git's exit, which this machine did not reproduce in 300 tries: this states
        // the behaviour, the fix is in Git.run's watchdog (it stops git at the time limit only).
        Path notARepository = Files.createDirectories(root.resolve("plain"));
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<java.util.concurrent.Future<?>> busy = new java.util.ArrayList<>();
        for (int t = 0; t < java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(); t++) {
            busy.add(java.util.concurrent.ForkJoinPool.commonPool().submit(() -> {
                while (!done.get()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }));
        }
        try {
            for (int i = 0; i < 100; i++) {
                java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> Git.run(notARepository, Duration.ofSeconds(30), "rev-parse", "HEAD"));
                assertTrue(e.getMessage().contains("not a git repository"), "attempt " + i + ": " + e.getMessage());
            }
        } finally {
            done.set(true);
        }
    }

    @Test
    void aRepositoryOfAnotherUserIsReportedAsAnOwnershipProblemWithTheWayToTrustIt() throws Exception {
        // Only root can give a folder to another user. The build runs as root (CI, this machine); elsewhere this test
        // fails saying why rather than skip and prove nothing.
        assertEquals("root", System.getProperty("user.name"), "this test gives a folder to another user: run as root");
        Path theirs = fleet.git.workingTree(root.resolve("theirs"), "build.sh", "true\n");
        Process chown = new ProcessBuilder("chown", "-R", "65534:65534", theirs.toString()).inheritIO().start();
        assertEquals(0, chown.waitFor());
        fleet.engine.discover();
        String problem = fleet.engine.repository("theirs").orElseThrow().problem();
        assertTrue(problem.startsWith(theirs + ": owned by "), problem);
        assertTrue(problem.contains("not by the runtime's user root"), problem);
        assertTrue(problem.endsWith("git config --global --add safe.directory " + theirs), problem);
        assertFalse(problem.contains("HEAD"), "it has a HEAD; git refuses to read it: " + problem);
    }
}
