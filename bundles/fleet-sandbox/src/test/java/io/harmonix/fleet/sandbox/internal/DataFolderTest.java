package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runtimes of one installation started with two data folders ({@code bin/harmonix --data DIR}): each keeps its
 * worktrees under its own data folder and its cgroups under a name of its own, so the start of one (which clears
 * what a stopped runtime left) never touches a check of the other.
 */
class DataFolderTest {
    @TempDir
    Path dir;

    @Test
    void aCheckOfTheFirstRuntimeSurvivesTheStartOfTheSecondAndEachClearsOnlyItsOwnLeftovers() throws Exception {
        Path home = dir.resolve("installation");
        Path firstData = dir.resolve("first-data");
        Path secondData = dir.resolve("second-data");
        // what stopped runs of each left in its worktrees folder
        Path firstLeft = leftover(firstData);
        Path secondLeft = leftover(secondData);
        try (SandboxFixture first = new SandboxFixture(dir.resolve("first"), home, firstData,
                SandboxFixture.defaults())) {
            assertFalse(Files.exists(firstLeft), "the first clears its own leftover");
            assertTrue(Files.exists(secondLeft.resolve("tree/file")), "and not the second's");
            first.repo.write("README", "app\n").commit("first");
            String token = Long.toString(System.nanoTime());
            CompletableFuture<CheckRecord> check = first.startWaiting(token);
            List<Path> running = first.cgroupFolders();
            try (var trees = Files.list(SandboxRunner.worktrees(firstData))) {
                assertEquals(1, trees.count(), "the check's worktree lies under the first data folder");
            }

            try (SandboxFixture second = new SandboxFixture(dir.resolve("second"), home, secondData,
                    SandboxFixture.defaults())) {
                assertFalse(Files.exists(secondLeft), "the second clears its own leftover");
                assertNotEquals(first.sandbox.cgroups().orElseThrow().folders(),
                        second.sandbox.cgroups().orElseThrow().folders());
                assertFalse(SandboxExecutorTest.processesWith(token).isEmpty(), "the first's check still runs");
                assertEquals(running, first.cgroupFolders(), "its cgroups are still there");
                second.repo.write("README", "other\n").commit("second");
                CheckRecord other = second.run("HEAD", "cat README");
                assertTrue(other.passed() && other.log().contains("other"), other.toString());
                assertFalse(check.isDone(), "the second's check ending ended nothing of the first");
            }

            first.release();
            CheckRecord r = check.get();
            assertTrue(r.passed(), "the check ran to its end: " + r);
            assertTrue(r.log().contains("released " + token), r.log());
            assertFalse(Files.exists(home.resolve("data")), "nothing under the installation's data/");
        }
    }

    @Test
    void theDataFolderIsHiddenFromACheckLikeTheHome() throws Exception {
        Path data = dir.resolve("elsewhere/data");
        Files.createDirectories(data.resolve("derby"));
        Files.writeString(data.resolve("derby/secret"), "d4t4-elsewhere");
        try (SandboxFixture f = new SandboxFixture(dir.resolve("runtime"), dir.resolve("installation"), data,
                SandboxFixture.defaults())) {
            f.repo.write("README", "app\n").commit("first");
            CheckRecord r = f.run("HEAD", "cat " + data.resolve("derby/secret") + " 2>/dev/null; "
                    + "echo \"listing: $(ls -A " + data + " | tr '\\n' ' ')\"; cat README");
            assertTrue(r.log().contains("app"), "the worktree inside it is still there: " + r.log());
            assertFalse(r.log().contains("d4t4-elsewhere"), r.log());
            // only the mount point of the worktree's own folder, bubblewrap's, in the empty folder over it
            assertTrue(r.log().contains("listing: fleet \n"), r.log());
        }
    }

    private static Path leftover(Path data) throws Exception {
        Path tree = Files.createDirectories(SandboxRunner.worktrees(data).resolve("9001/tree"));
        Files.writeString(tree.resolve("file"), "left");
        return tree.getParent();
    }
}
