package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.Isolation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weaker isolation, where bubblewrap is missing: {@code unshare -n} cuts the network, the check's session and
 * cgroups still take every process along.
 */
class NetworkOnlyTest {
    @TempDir
    Path dir;
    private SandboxFixture f;
    private SandboxRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        f = new SandboxFixture(dir, SandboxFixture.defaults());
        f.repo.write("README", "app\n").commit("first");
        // the groups of the fixture's runtime (its component removes their folder when the fixture closes)
        Cgroups groups = Cgroups.probe(Cgroups.owner(f.data)).orElseThrow();
        runner = new SandboxRunner(SandboxFixture.settings(Duration.ofSeconds(2), 64, true, 64 * 1024),
                new CheckStore(f.derby.dataSource()), f.home, f.data, Isolation.NETWORK_ONLY, true,
                java.util.Optional.of(groups), s -> s, Map.of("PATH", System.getenv("PATH")));
        assertTrue(Launch.works(Isolation.NETWORK_ONLY, true, dir), "unshare -n works here");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private CheckRecord run(String command) {
        return runner.execute(new ExecutionRequest("app", f.repo.root().toString(), "HEAD", "build", command, null,
                Map.of()));
    }

    @Test
    void noNetworkAndNoDaemonLeftButTheFileSystemIsTheRuntimes() throws Exception {
        String token = Long.toString(System.nanoTime());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(500);
            CheckRecord r = run("setsid sleep 1000." + token + " >/dev/null 2>&1 < /dev/null & "
                    + "bash -c 'echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "'; echo $?; cat README; "
                    + "sleep 1000");
            assertEquals(Isolation.NETWORK_ONLY, r.isolation());
            assertTrue(r.timedOut(), r.toString());
            assertNotEquals("0", r.log().lines().findFirst().orElse(""), r.log());
            assertTrue(r.log().contains("app\n"), "it ran in the worktree: " + r.log());
            assertThrows(SocketTimeoutException.class, server::accept, "no connection arrived");
        }
        assertEquals(List.of(), SandboxExecutorTest.processesWith(token), "the daemon in its own session is gone");
    }
}
