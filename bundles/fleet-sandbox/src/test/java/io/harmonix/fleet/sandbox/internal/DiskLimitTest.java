package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build that writes without end into its worktree is killed at diskLimit, before it fills data/'s disk. */
class DiskLimitTest {
    @TempDir
    Path dir;

    @Test
    void aBuildWritingMoreThanTheDiskLimitIsKilledAndTheRecordSaysWhy() throws Exception {
        SandboxSettings settings = new SandboxSettings(Duration.ofSeconds(20), 512L << 20, 256, true, 64 * 1024,
                List.of(), SandboxSettings.paths(SandboxSettings.HIDDEN_PATHS), 20L << 20, List.of());
        try (SandboxFixture f = new SandboxFixture(dir, settings)) {
            f.repo.write("README", "app\n").commit("first");
            // 300 MB then waiting: bounded, so that the test itself never fills the machine's disk
            CheckRecord r = f.run("HEAD", "head -c 300000000 /dev/zero > big; echo written; sleep 1000");
            assertFalse(r.timedOut(), r.toString());
            assertNull(r.exitCode(), r.toString());
            assertTrue(r.error().startsWith("killed: its worktree and scratch folder held "), r.toString());
            assertTrue(r.error().contains("more than diskLimit (20971520 bytes)"), r.error());
            assertTrue(f.run("HEAD", "head -c 1000000 /dev/zero > small; echo fine").passed(),
                    "a build within the limit passes");
        }
    }
}
