package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime killed with SIGKILL in the middle of a check (a JVM of its own, {@link KilledRuntime}) leaves the
 * check's worktree, its cgroups and its open record; a runtime of the same installation on another data folder
 * leaves them alone, and the next start on the same data folder clears them.
 */
class KilledRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void whatAKilledRuntimeLeftIsClearedByTheNextStartOnItsDataFolderAndByNoOther() throws Exception {
        Path home = dir.resolve("installation");
        Path data = dir.resolve("data");
        GitRepo repo = GitRepo.init(dir.resolve("repos/app")).write("README", "app\n").commit("first");
        String token = Long.toString(System.nanoTime());
        Path output = dir.resolve("killed-runtime.out");
        // the runtime's JVM opens its fixture on the same store as this one (on PostgreSQL: this JVM's server)
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(DerbyFixture.childJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KilledRuntime.class.getName(),
                home.toString(), data.toString(), dir.resolve("db").toString(), repo.root().toString(), token));
        Process runtime = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        try {
            while (SandboxExecutorTest.processesWith("sleep 1000." + token).isEmpty()) {
                assertTrue(runtime.isAlive(), () -> "the runtime ended: " + read(output));
                Thread.sleep(20);
            }
        } finally {
            runtime.destroyForcibly(); // SIGKILL: no deactivation, no finally of its own
        }
        assertTrue(runtime.waitFor(30, TimeUnit.SECONDS), "it is killed");
        assertEquals(137, runtime.exitValue(), "killed by SIGKILL: " + read(output));

        List<Path> groups = Cgroups.foldersOf(Cgroups.owner(data));
        List<Path> trees = list(SandboxRunner.worktrees(data));
        assertEquals(1, trees.size(), "it left its check's worktree");
        String check = "check-" + trees.get(0).getFileName();
        assertTrue(groups.stream().allMatch(g -> Files.isDirectory(g.resolve(check))),
                "it left its check's groups " + check + " in " + groups);

        try (SandboxFixture other = new SandboxFixture(dir.resolve("other"), home, dir.resolve("other-data"),
                SandboxFixture.defaults())) {
            assertEquals(trees, list(SandboxRunner.worktrees(data)), "another data folder's runtime keeps off");
            assertTrue(groups.stream().allMatch(g -> Files.isDirectory(g.resolve(check))), groups.toString());
        }

        try (SandboxFixture again = new SandboxFixture(dir, home, data, SandboxFixture.defaults())) {
            assertEquals(List.of(), list(SandboxRunner.worktrees(data)), "its worktree is deleted");
            assertEquals(List.of(), again.cgroupFolders(), "its groups and their folders are removed");
            assertEquals(List.of(), SandboxExecutorTest.processesWith("sleep 1000." + token), "nothing of it runs");
            CheckRecord closed = again.sandbox.checks("app", 10).get(0);
            assertEquals(check, "check-" + closed.id());
            assertTrue(closed.error().startsWith("the runtime stopped while it ran"), closed.toString());
            assertFalse(closed.passed());
            assertTrue(again.logged.stream().anyMatch(l -> l.contains("cgroup(s) a killed runtime on")),
                    again.logged.toString());
        }
    }

    private static List<Path> list(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
