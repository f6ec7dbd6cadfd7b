package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.Isolation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor on real repositories, real bubblewrap and a real Derby database: what a check runs and records. */
class SandboxExecutorTest {
    @TempDir
    Path dir;
    private SandboxFixture f;
    private String first;
    private String second;

    @BeforeEach
    void setUp() throws Exception {
        f = new SandboxFixture(dir, SandboxFixture.defaults());
        f.repo.write("version.txt", "one\n").write("build.sh", "#!/bin/sh\ncat version.txt\nexit 0\n").commit("one");
        first = f.repo.head();
        f.repo.write("version.txt", "two\n").commit("two");
        second = f.repo.head();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void runsOnTheExactOlderCommitAndRecordsItsFullSha() throws Exception {
        assertEquals(Isolation.SANDBOX, f.sandbox.isolation(), "bubblewrap is installed on the build machines");
        // git log reads the objects, which the clone shares with the source (under /tmp here, a tmpfs inside)
        CheckRecord r = f.run(first.substring(0, 8), "sh build.sh && git log -1 --format=%H");
        assertEquals(first, r.commit());
        assertTrue(r.passed(), r.toString());
        assertEquals(0, r.exitCode());
        assertTrue(r.log().startsWith("one\n" + first), r.log());
        assertEquals(Isolation.SANDBOX, r.isolation());
        assertFalse(r.timedOut());
        assertEquals("app", r.repository());
        assertEquals("build", r.kind());
        assertEquals(Optional.of(r), f.sandbox.check(r.id()), "what execute returns is what was stored");
        assertEquals("two\n", f.repo.read("version.txt"), "the source's working tree is left as it was");
    }

    @Test
    void aNonZeroExitIsRecordedAndDoesNotPass() {
        CheckRecord r = f.run("HEAD", "echo failing; exit 3");
        assertEquals(second, r.commit());
        assertEquals(3, r.exitCode());
        assertFalse(r.passed());
        assertNull(r.error());
        assertEquals("failing\n", r.log());
    }

    @Test
    void theTimeLimitKillsTheCommandAndTheDaemonsItStarted() throws Exception {
        String token = Long.toString(System.nanoTime());
        // three ways out of the shell's process group: a new session, nohup, a double fork
        String daemons = "setsid sleep 1000." + token + " >/dev/null 2>&1 < /dev/null & "
                + "nohup sleep 1001." + token + " >/dev/null 2>&1 & "
                + "( ( sleep 1002." + token + " >/dev/null 2>&1 & ) & ) ; ";
        CheckRecord r = f.run("HEAD", daemons + "echo started; sleep 1000", Duration.ofSeconds(2));
        assertTrue(r.timedOut(), r.toString());
        assertNull(r.exitCode());
        assertFalse(r.passed());
        assertTrue(r.log().startsWith("started\n") && r.log().contains("killed after the time limit of PT2S"),
                r.log());
        assertEquals(List.of(), processesWith(token), "every process of the check is gone");
        assertFalse(Files.exists(SandboxRunner.worktrees(f.data).resolve(Long.toString(r.id()))),
                "its worktree is removed");
    }

    @Test
    void daemonsLeftBehindByACommandThatEndsAreKilledToo() throws Exception {
        String token = Long.toString(System.nanoTime());
        CheckRecord r = f.run("HEAD", "setsid sleep 1000." + token + " >/dev/null 2>&1 < /dev/null & "
                + "( ( sleep 1001." + token + " & ) & ) ; echo done");
        assertTrue(r.passed(), r.toString());
        assertEquals(List.of(), processesWith(token));
    }

    @Test
    void anUnknownCommitIsARecordNamingIt() {
        CheckRecord r = f.run("no-such-branch", "true");
        assertNull(r.commit());
        assertFalse(r.passed());
        assertTrue(r.error().contains("no commit 'no-such-branch' in " + f.repo.root()), r.error());
        assertTrue(f.run("--upload-pack=touch /tmp/x", "true").error().contains("is not a commit name"),
                "an option is not taken for a commit");
    }

    @Test
    void aPathThatIsNotARepositoryIsRefusedNamingIt() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.sandbox.execute(
                new ExecutionRequest("x", plain.toString(), "HEAD", "build", "true", null, Map.of())));
        assertTrue(e.getMessage().contains(plain.toString()), e.getMessage());
        Path inside = Files.createDirectories(f.repo.root().resolve("sub"));
        e = assertThrows(IllegalArgumentException.class, () -> f.sandbox.execute(
                new ExecutionRequest("x", inside.toString(), "HEAD", "build", "true", null, Map.of())));
        assertTrue(e.getMessage().contains("lies inside the one at"), e.getMessage());
        Path linked = dir.resolve("linked");
        f.repo.git("worktree", "add", "-q", "--detach", linked.toString());
        e = assertThrows(IllegalArgumentException.class, () -> f.sandbox.execute(
                new ExecutionRequest("x", linked.toString(), "HEAD", "build", "true", null, Map.of())));
        assertTrue(e.getMessage().startsWith(linked + " is a linked worktree"), e.getMessage());
        assertEquals(List.of(), f.sandbox.checks(null, 10), "no record for a request that names no repository");
    }

    @Test
    void aBareRepositoryIsASourceToo() throws Exception {
        Path bare = dir.resolve("bare.git");
        f.repo.git("clone", "-q", "--bare", f.repo.root().toString(), bare.toString());
        CheckRecord r = f.sandbox.execute(new ExecutionRequest("bare", bare.toString(), first, "test",
                "cat version.txt", null, Map.of()));
        assertEquals("one\n", r.log(), r.toString());
    }

    @Test
    void historyKeepsRecordsByRepositoryAndCommitWithIncreasingIds() {
        CheckRecord a = f.run(first, "true");
        CheckRecord b = f.run(second, "false");
        CheckRecord c = f.run(first, "exit 0");
        assertTrue(a.id() < b.id() && b.id() < c.id());
        assertEquals(List.of(c.id(), b.id()), f.sandbox.checks("app", 2).stream().map(CheckRecord::id).toList());
        assertEquals(List.of(a.id(), c.id()), f.sandbox.checksOf("app", first).stream().map(CheckRecord::id)
                .toList());
        assertEquals(List.of(), f.sandbox.checks("other", 10));
    }

    @Test
    void withoutIsolationACommandIsRefusedWhenIsolationIsRequired() throws Exception {
        CheckStore store = new CheckStore(f.derby.dataSource());
        SandboxRunner none = new SandboxRunner(SandboxFixture.defaults(), store, f.home, f.data, Isolation.NONE,
                true, Optional.empty(), s -> s, Map.of());
        String marker = dir.resolve("ran").toString();
        CheckRecord r = none.execute(new ExecutionRequest("app", f.repo.root().toString(), "HEAD", "build",
                "touch " + marker, null, Map.of()));
        assertTrue(r.error().startsWith("refused: no isolation works"), r.error());
        assertEquals(Isolation.NONE, r.isolation());
        assertFalse(Files.exists(Path.of(marker)), "the command never ran");
    }

    /** @return the command lines of the machine's processes that contain {@code token} */
    static List<String> processesWith(String token) throws Exception {
        Thread.sleep(100); // a killed process leaves /proc once reaped; the kill itself was synchronous
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(token)).toList();
    }
}
