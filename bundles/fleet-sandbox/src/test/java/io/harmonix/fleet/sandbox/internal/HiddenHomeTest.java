package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's secrets and database stay hidden wherever the home lies: inside the very repository a check
 * builds (a runtime built in the repository it validates), or with {@code etc/} and {@code data/} on another volume
 * through symbolic links.
 */
class HiddenHomeTest {
    @TempDir
    Path dir;
    private DerbyFixture derby;
    private SandboxComponent sandbox;
    private Path outside;

    @AfterEach
    void tearDown() throws Exception {
        if (outside != null) {
            Worktrees.delete(outside);
        }
        if (sandbox != null) {
            sandbox.deactivate();
        }
        if (derby != null) {
            derby.close();
        }
    }

    private CheckRecord check(Path home, GitRepo repo, String command) throws Exception {
        derby = DerbyFixture.open(dir.resolve("db"));
        sandbox = new SandboxComponent(SandboxFixture.defaults(), home, derby.dataSource(), derby.migrator(),
                SandboxFixture.logger(new ArrayList<>()));
        return sandbox.execute(new ExecutionRequest("app", repo.root().toString(), "HEAD", "build", command, null,
                Map.of()));
    }

    @Test
    void aHomeInsideTheBuiltRepositoryStaysHiddenAndTheCloneStillReadsItsObjects() throws Exception {
        GitRepo repo = GitRepo.init(dir.resolve("repo"));
        repo.write("README", "app\n").write(".gitignore", "rt/\n").commit("first");
        Path home = Files.createDirectories(repo.root().resolve("rt"));
        Path pulse = Files.writeString(Files.createDirectories(home.resolve("etc")).resolve("pulse.json"),
                "{\"token\": \"s3cr3t-pulse\"}");
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/derby-file"), "d4t4-base");
        CheckRecord r = check(home, repo, String.join("; ", "cat " + pulse, "cat " + home.resolve("data/derby-file"),
                "ls -A " + home, "git log --format=%s", "cat README"));
        assertFalse(r.log().contains("s3cr3t-pulse"), "etc/ is hidden: " + r.log());
        assertFalse(r.log().contains("d4t4-base"), "data/ is hidden: " + r.log());
        assertTrue(r.log().contains("first\napp\n"), "git reads the history through the source's objects: "
                + r.log());
        assertEquals(0, r.exitCode(), r.log());
    }

    @Test
    void etcAndDataLinkedToAnotherVolumeAreHiddenThereToo() throws Exception {
        GitRepo repo = GitRepo.init(dir.resolve("repo"));
        repo.write("README", "app\n").commit("first");
        // not under /tmp, which the sandbox replaces anyway: where another volume would be
        Path volume = Files.createDirectories(Path.of("target/another-volume-" + System.nanoTime()))
                .toAbsolutePath();
        outside = volume;
        Path pulse = Files.writeString(Files.createDirectories(volume.resolve("etc")).resolve("pulse.json"),
                "{\"token\": \"s3cr3t-pulse\"}");
        Files.writeString(Files.createDirectories(volume.resolve("data")).resolve("derby-file"), "d4t4-base");
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createSymbolicLink(home.resolve("etc"), volume.resolve("etc"));
        Files.createSymbolicLink(home.resolve("data"), volume.resolve("data"));
        CheckRecord r = check(home, repo, String.join("; ", "cat " + pulse, "cat " + volume.resolve("data/derby-file"),
                "cat README"));
        assertFalse(r.log().contains("s3cr3t-pulse"), "etc/ is hidden where it lies: " + r.log());
        assertFalse(r.log().contains("d4t4-base"), "data/ is hidden where it lies: " + r.log());
        assertTrue(r.log().endsWith("app\n"), "the check ran in its worktree: " + r.log());
        assertEquals(List.of(), listing(volume.resolve("data/fleet/worktrees")), "its folder is deleted");
    }

    private static List<String> listing(Path folder) throws Exception {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
