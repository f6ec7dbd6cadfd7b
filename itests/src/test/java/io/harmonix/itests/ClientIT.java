package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/harmonix client} against a runtime started with {@code run}: a whole run driven through it, the same
 * answers as exec mode's, two clients at once, another user refused, exec handed to the runtime that holds its
 * folder.
 *
 * <p>The runtimes boot the features its commands use, {@value #FEATURES} (the runner, the index, the files agent):
 * the client's talk to a runtime is the shell's, whatever bundles answer; the default features' others were most of
 * each method's daemon start and of the exec-mode runtimes it compares with (docs/performance.md "Test suite").
 */
class ClientIT {
    private static final String FEATURES = "harmonix-core,harmonix-samples";

    @TempDir
    Path dir;

    private PackagedRuntime runtime;
    private Path data;
    private Process daemon;

    @BeforeEach
    void startDaemon() throws Exception {
        runtime = PackagedRuntime.copyInto(dir);
        data = dir.resolve("data");
        daemon = runtime.start(dir, "--features", FEATURES, "--data", data.toString(), "run");
        new PackagedRuntime.Output(daemon.getErrorStream());
        new PackagedRuntime.Output(daemon.getInputStream()).await("Harmonix running");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        daemon.destroy(); // SIGTERM: stops in order
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(data.resolve("harmonix.sock")), "the runtime takes its socket away");
    }

    private PackagedRuntime.Result client(String script) throws Exception {
        return runtime.run(dir, "--data", data.toString(), "client", script);
    }

    private String target() {
        return "target=" + runtime.home.resolve("examples");
    }

    @Test
    void aRunIsDrivenThroughTheClientFromStartToStop() throws Exception {
        PackagedRuntime.Result started = client("cycle:run --id x --agents files --cycles forever --interval 200ms "
                + "--input " + target());
        assertEquals(0, started.exit(), started.toString());
        assertTrue(started.out().startsWith("started run x: running, cycles 0/forever, agents files"), started.toString());
        assertEquals("", started.err());

        PackagedRuntime.Result paused = client("cycle:pause x");
        assertEquals(0, paused.exit(), paused.toString());
        assertTrue(paused.out().startsWith("run x: paused, cycles "), paused.toString());
        PackagedRuntime.Result still = client("cycle:show x");
        assertTrue(still.out().contains("run x: paused, cycles "), still.toString());

        PackagedRuntime.Result resumed = client("cycle:resume x");
        assertEquals(0, resumed.exit(), resumed.toString());
        assertTrue(resumed.out().startsWith("run x: running, cycles "), resumed.toString());

        // --follow streams: the first cycle is on the client's output while the run still goes on
        Process follow = runtime.start(dir, "--data", data.toString(), "client",
                "cycle:run --id y --agents files --cycles 6 --interval 500ms --follow --input " + target());
        PackagedRuntime.Output followed = new PackagedRuntime.Output(follow.getInputStream());
        PackagedRuntime.Output followErr = new PackagedRuntime.Output(follow.getErrorStream());
        followed.await("y cycle 1/6 ok");
        assertTrue(follow.isAlive(), "printed live, not at the end:\n" + followed.text());
        assertFalse(followed.text().contains("y cycle 6/6"), followed.text());
        assertTrue(follow.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, follow.exitValue(), followed.text() + followErr.text());
        for (int i = 1; i <= 6; i++) {
            assertTrue(followed.rest().contains("y cycle " + i + "/6 ok"), followed.text());
        }
        assertTrue(followed.text().endsWith("run y: completed, cycles 6/6, agents files, interval 500ms, deadline "
                + "30s, failed entries 0\n"), followed.text());

        PackagedRuntime.Result stopped = client("cycle:stop x");
        assertEquals(0, stopped.exit(), stopped.toString());
        assertTrue(stopped.out().startsWith("run x: stopped, cycles "), stopped.toString());
        PackagedRuntime.Result awaited = client("cycle:await y --timeout 10s");
        assertEquals(0, awaited.exit(), awaited.toString());
        assertTrue(awaited.out().contains("run y: completed, cycles 6/6"), awaited.toString());

        // exec on the folder the runtime holds: handed to it, said once, its answer and status
        PackagedRuntime.Result handed = runtime.exec("cycle:runs", "--features", FEATURES, "--data", data.toString());
        assertEquals(0, handed.exit(), handed.toString());
        assertEquals("exec: handed to the runtime running as pid " + daemon.pid() + "\n", handed.err());
        assertTrue(handed.out().startsWith("RUN  STATE"), handed.toString());
        assertTrue(handed.out().contains("\nx    stopped ") && handed.out().contains("\ny    completed  6/6"),
                handed.toString());
        PackagedRuntime.Result handedFailure = runtime.exec("cycle:show nosuch", "--features", FEATURES, "--data",
                data.toString());
        assertEquals(1, handedFailure.exit(), handedFailure.toString());
        assertEquals("exec: handed to the runtime running as pid " + daemon.pid() + "\n"
                + client("cycle:show nosuch").err(), handedFailure.err());
    }

    /** A failed command, a bad option, a command that does not exist: as exec mode answers them, byte for byte. */
    @Test
    void failuresAnswerAsExecModeDoes() throws Exception {
        Path other = dir.resolve("other"); // exec of a runtime of its own, not handed to the daemon
        for (String script : List.of("nosuch:command", "cycle:run --bogus", "cycle:show nosuch",
                "cycle:runs; cycle:pause nosuch; cycle:runs")) {
            PackagedRuntime.Result viaClient = client(script);
            PackagedRuntime.Result viaExec = runtime.exec(script, "--features", FEATURES, "--data", other.toString());
            assertEquals(viaExec.toString(), viaClient.toString(), script);
            assertEquals(1, viaClient.exit(), viaClient.toString());
            assertTrue(viaClient.err().startsWith("error: "), viaClient.toString());
        }
    }

    @Test
    void twoClientsAtOnceEachSeeTheirOwnRun() throws Exception {
        List<Process> clients = new ArrayList<>();
        List<PackagedRuntime.Output> outputs = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            Process p = runtime.start(dir, "--data", data.toString(), "client", "cycle:run --id " + id
                    + " --agents files --cycles 4 --interval 300ms --follow --input " + target());
            clients.add(p);
            outputs.add(new PackagedRuntime.Output(p.getInputStream()));
            new PackagedRuntime.Output(p.getErrorStream());
        }
        // both run at once: each has printed its first cycle before either has ended
        outputs.get(0).await("a cycle 1/4 ok");
        outputs.get(1).await("b cycle 1/4 ok");
        assertTrue(clients.get(0).isAlive() || clients.get(1).isAlive());
        for (int i = 0; i < 2; i++) {
            assertTrue(clients.get(i).waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, clients.get(i).exitValue(), outputs.get(i).text());
            String mine = i == 0 ? "a" : "b";
            String theirs = i == 0 ? "b" : "a";
            String text = outputs.get(i).rest();
            assertTrue(text.contains(mine + " cycle 4/4 ok") && text.contains("run " + mine + ": completed"), text);
            assertFalse(text.contains(theirs + " cycle"), "only its own run:\n" + text);
        }
    }

    /**
     * The client of another user (nobody) is refused: by the socket's mode, and by the runtime's check of the peer's
     * user once the mode is loosened. The copy's folders are opened for others to enter, so that only the socket
     * stands in the way.
     */
    @Test
    void aClientOfAnotherUserIsRefused() throws Exception {
        for (Path p = runtime.home; p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = data.resolve("harmonix.sock");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

        PackagedRuntime.Result denied = asNobody("agent:list");
        assertEquals(2, denied.exit(), denied.toString());
        assertEquals("", denied.out());
        assertEquals("harmonix client: the runtime of data folder " + data + " takes commands from its own user "
                + "only (" + socket + ": permission denied); run the client as the user who started it\n",
                denied.err());

        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        PackagedRuntime.Result refused = asNobody("agent:list");
        assertEquals(2, refused.exit(), refused.toString());
        assertEquals("", refused.out());
        assertEquals("harmonix client: refused: the runtime of " + data + " takes commands from user root only, "
                + "not from nobody\n", refused.err());
        assertTrue(Files.readString(data.resolve("log/harmonix.log"))
                .contains("refused user nobody: this runtime takes commands from user root only"));

        PackagedRuntime.Result owner = client("agent:list"); // its owner still gets in
        assertEquals(0, owner.exit(), owner.toString());
    }

    private PackagedRuntime.Result asNobody(String script) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                runtime.home.resolve("bin/harmonix").toString(), "--data", data.toString(), "client", script)
                .directory(Path.of("/").toFile()).start();
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        PackagedRuntime.Output err = new PackagedRuntime.Output(p.getErrorStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new PackagedRuntime.Result(p.exitValue(), out.rest(), err.rest());
    }

    @Test
    void withoutCommandsTheClientIsALineSessionAndWithoutARuntimeItSaysSo() throws Exception {
        Process p = runtime.start(dir, "--data", data.toString(), "client");
        p.getOutputStream().write("x = 41\nagent:list\nnosuch:command\necho $x\nexit 4\n"
                .getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        PackagedRuntime.Output err = new PackagedRuntime.Output(p.getErrorStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(4, p.exitValue(), out.rest() + err.rest());
        String text = out.rest();
        assertTrue(text.startsWith("harmonix> 41\nharmonix> AGENT "), text);
        // (the reader ends every line it read with a line end, the last prompt's too)
        assertTrue(text.endsWith("harmonix> harmonix> 41\nharmonix> \n"), "a failed line, then the session goes on, "
                + "one session: $x kept\n" + text);
        assertEquals("error: Command not found: nosuch:command\n", err.rest());

        Path none = dir.resolve("none");
        PackagedRuntime.Result nobodyThere = runtime.run(dir, "--data", none.toString(), "client", "agent:list");
        assertEquals(2, nobodyThere.exit(), nobodyThere.toString());
        assertEquals("harmonix client: no Harmonix runtime holds data folder " + none + " (" + none
                + "/harmonix.sock: No such file or directory); start one with: bin/harmonix --data " + none
                + " run\n", nobodyThere.err());
        assertEquals("", nobodyThere.out());
    }
}
