package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the sandbox (a re-activation by DS) ends the checks in flight itself, so that the next activation's
 * clean-up of a stopped runtime never destroys a check still running.
 */
class StopInFlightTest {
    @TempDir
    Path dir;

    @Test
    void deactivationKillsTheChecksInFlightAndCompletesTheirRecordsBeforeItReturns() throws Exception {
        try (SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults())) {
            f.repo.write("README", "app\n").commit("first");
            String token = Long.toString(System.nanoTime());
            CompletableFuture<CheckRecord> check = CompletableFuture.supplyAsync(() -> f.run("HEAD",
                    "echo running; sleep 1000." + token));
            while (SandboxExecutorTest.processesWith(token).isEmpty()) {
                Thread.sleep(20);
            }
            f.sandbox.deactivate();
            assertEquals(List.of(), SandboxExecutorTest.processesWith(token), "killed before deactivate returned");
            assertTrue(check.isDone(), "its execute returned before deactivate did");
            CheckRecord r = check.get();
            assertTrue(r.error().startsWith("interrupted: the command was killed"), r.toString());
            assertEquals(r, f.sandbox.check(r.id()).orElseThrow(), "its record is complete");
            try (var left = Files.list(SandboxRunner.worktrees(f.data))) {
                assertEquals(List.of(), left.toList(), "its folder is deleted");
            }
            assertThrows(IllegalStateException.class, () -> f.run("HEAD", "true"), "a stopped sandbox runs nothing");
        }
    }
}
