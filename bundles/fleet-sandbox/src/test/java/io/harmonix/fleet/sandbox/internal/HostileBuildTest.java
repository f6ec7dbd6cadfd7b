package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds that try to get out: each is contained, recorded, and leaves the machine and the runtime as they were. */
class HostileBuildTest {
    @TempDir
    Path dir;
    private SandboxFixture f;

    private SandboxFixture open(SandboxSettings settings) throws Exception {
        f = new SandboxFixture(dir, settings);
        f.repo.write("README", "app\n").commit("first");
        return f;
    }

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void theNetworkIsNotReachableNotEvenLoopback() throws Exception {
        open(SandboxFixture.defaults());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(500);
            CheckRecord r = f.run("HEAD", "bash -c 'echo hello > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "'");
            assertNotEquals(0, r.exitCode(), r.log());
            assertThrows(SocketTimeoutException.class, server::accept, "no connection arrived");
        }
    }

    @Test
    void writesOutsideTheWorktreeChangeNothingOutside() throws Exception {
        open(SandboxFixture.defaults());
        Path secret = Files.writeString(f.home.resolve("etc/pulse.json"), "{\"secrets\": \"s3cr3t-pulse\"}");
        Path hostTmp = Path.of("/tmp/harmonix-sandbox-escape-" + System.nanoTime());
        Path testFile = Files.writeString(dir.resolve("kept.txt"), "kept\n");
        String readme = f.repo.root().resolve("README").toString();
        CheckRecord r = f.run("HEAD", String.join("; ",
                "echo changed > " + readme,
                "echo changed > " + f.repo.root().resolve(".git/HEAD"),
                "echo new > " + f.repo.root().resolve("new-file"),
                "echo changed > " + testFile,
                "echo new > " + hostTmp,
                "echo new > " + f.home.resolve("data/planted"),
                "cat " + secret,
                "rm -rf " + f.home.resolve("etc"),
                "echo inside > own-file && cat own-file",
                "echo scratch > \"$HOME/file\" && cat \"$HOME/file\""));
        assertTrue(r.log().contains("inside\nscratch\n"), "the worktree and the scratch folder are writable: "
                + r.log());
        assertFalse(r.log().contains("s3cr3t-pulse"), "the runtime's etc is hidden: " + r.log());
        assertEquals("app\n", f.repo.read("README"));
        assertEquals("ref: refs/heads/main\n", Files.readString(f.repo.root().resolve(".git/HEAD")));
        assertFalse(Files.exists(f.repo.root().resolve("new-file")));
        assertEquals("kept\n", Files.readString(testFile));
        assertFalse(Files.exists(hostTmp), "the sandbox's /tmp is its own");
        assertFalse(Files.exists(f.home.resolve("data/planted")));
        assertTrue(Files.exists(secret), "the runtime's etc is untouched");
    }

    @Test
    void aForkBombStaysWithinTheProcessLimitAndTheRuntimeGoesOn() throws Exception {
        open(SandboxFixture.settings(Duration.ofSeconds(3), 64, true, 64 * 1024));
        String token = Long.toString(System.nanoTime());
        CheckRecord r = f.run("HEAD", "bomb() { sleep 100." + token + " & bomb | bomb & }; bomb; sleep 100");
        assertFalse(r.passed(), r.toString());
        assertEquals(List.of(), SandboxExecutorTest.processesWith(token), "every process of the bomb is gone");
        assertTrue(f.run("HEAD", "echo after").passed(), "the next check runs as usual");
        assertTrue(r.log().length() < 64 * 1024 + 200, "bounded log");
    }

    @Test
    void gigabytesOfOutputKeepTheLogBoundedAndTheDiskUntouched() throws Exception {
        open(SandboxFixture.settings(Duration.ofSeconds(20), 256, true, 8 * 1024));
        long freeBefore = Files.getFileStore(f.home).getUsableSpace();
        CheckRecord r = f.run("HEAD", "echo first-line; head -c 1000000000 /dev/zero | tr '\\0' 'x'; echo; "
                + "echo last-line");
        assertTrue(r.passed(), r.error());
        assertTrue(r.logTruncated());
        assertTrue(r.log().startsWith("first-line\nxxx"), "the head is kept");
        assertTrue(r.log().endsWith("xxx\nlast-line\n"), "the tail is kept");
        long printed = "first-line\n".length() + 1_000_000_000L + "\nlast-line\n".length();
        assertTrue(r.log().contains("\n[... " + (printed - 8 * 1024) + " bytes of output left out ...]\n"),
                "the cut is marked with the bytes dropped");
        assertTrue(r.log().length() < 8 * 1024 + 100, "within the limit: " + r.log().length());
        long freeAfter = Files.getFileStore(f.home).getUsableSpace();
        // half the output: a margin for what the other builds of a shared machine write meanwhile
        assertTrue(freeBefore - freeAfter < 500L << 20, "not written to disk: " + (freeBefore - freeAfter));
    }

    @Test
    void theRuntimesEnvironmentDoesNotPassOnlyWhatIsConfiguredOrAsked() throws Exception {
        assertTrue(System.getenv().containsKey("HARMONIX_SANDBOX_TEST_SECRET"), "set by surefire (pom.xml)");
        open(new SandboxSettings(Duration.ofSeconds(20), 512L << 20, 256, true, 64 * 1024, List.of("TERM_PROGRAM_X",
                "HARMONIX_SANDBOX_TEST_PASSED")));
        CheckRecord r = f.sandbox.execute(new ExecutionRequest("app", f.repo.root().toString(), "HEAD", "build",
                "env | sort", null, Map.of("ASKED", "yes")));
        assertFalse(r.log().contains("HARMONIX_SANDBOX_TEST_SECRET"), r.log());
        assertFalse(r.log().contains(System.getenv("HOME") + "\n"), "HOME is the scratch folder: " + r.log());
        assertTrue(r.log().contains("HARMONIX_SANDBOX_TEST_PASSED=passed\n"), r.log());
        assertTrue(r.log().contains("ASKED=yes\n"), r.log());
        assertTrue(r.log().contains("HOME=" + SandboxRunner.worktrees(f.data).resolve(r.id() + "/scratch")),
                r.log());
    }

    @Test
    void anInterruptOfTheCallerKillsTheCommand() throws Exception {
        open(SandboxFixture.defaults());
        String token = Long.toString(System.nanoTime());
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<CheckRecord> check = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            return f.run("HEAD", "echo running; setsid sleep 1000." + token + " & sleep 1000");
        });
        while (f.sandbox.checks("app", 1).isEmpty() || !hasProcessWith(token)) {
            Thread.sleep(20);
        }
        caller.get().interrupt();
        CheckRecord r = check.get();
        assertTrue(r.error().startsWith("interrupted"), r.toString());
        assertFalse(r.timedOut());
        assertNull(r.exitCode());
        assertEquals(List.of(), SandboxExecutorTest.processesWith(token));
    }

    private static boolean hasProcessWith(String token) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(token));
    }
}
