package io.harmonix.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.shell.api.SessionUser;
import io.harmonix.shell.client.Frames;
import io.harmonix.shell.client.ShellClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/**
 * The runtime's side of {@code bin/harmonix client} over a real Unix domain socket: the socket's making, and
 * sessions of real Gogo (the framework's command processor), driven by the client the launcher runs.
 */
class ClientSessionTest {
    @TempDir
    Path dir;

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl gogo = new CommandProcessorImpl(threadIO);
    private final Logger log = (Logger) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> null);
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getBundles" -> new Bundle[0];
                case "getBundle" -> framework(); // started: scripts do not wait for their commands
                default -> null;
            });

    private static Bundle framework() {
        return (Bundle) Proxy.newProxyInstance(ClientSessionTest.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> method.getName().equals("getState") ? Bundle.ACTIVE : null);
    }
    /** Counted down when the command {@code test:block} has been interrupted. */
    private final CountDownLatch blockInterrupted = new CountDownLatch(1);
    private final CountDownLatch blockStarted = new CountDownLatch(1);
    private ClientListener.Bound bound;
    private Thread acceptor;
    private final List<Thread> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        threadIO.start();
        command("say", (session, args) -> {
            args.forEach(System.out::println); // as a Harmonix command prints: System.out, routed by Gogo
            return null;
        });
        command("fail", (session, args) -> {
            throw new IllegalArgumentException("test:fail: " + args.get(0));
        });
        command("ticks", (session, args) -> {
            for (int i = 1; i <= Integer.parseInt(String.valueOf(args.get(0))); i++) {
                System.out.println("tick " + i);
                Thread.sleep(Long.parseLong(String.valueOf(args.get(1))));
            }
            return null;
        });
        command("block", (session, args) -> {
            blockStarted.countDown();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                blockInterrupted.countDown();
                // as a real command cleaning up: it ends a moment after its interrupt, while the test ends
                long cleanUpEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < cleanUpEnd) {
                    Thread.onSpinWait();
                }
                throw e;
            }
            return null;
        });
        bound = ClientListener.bind(dir.resolve(ShellClient.SOCKET));
        ScriptRunner runner = new ScriptRunner(gogo, log);
        acceptor = new Thread(() -> {
            int n = 0;
            while (true) {
                try {
                    SocketChannel channel = bound.server().accept();
                    // the session's user as the listener gives it: the peer's, told by the kernel
                    String user = ClientListener.peerUser(channel).getName();
                    Thread t = new Thread(new ClientSession(channel, runner, context, log, "client-" + ++n, user));
                    t.setDaemon(true);
                    sessions.add(t);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void command(String name, Function f) {
        gogo.addCommand("test", f, name);
    }

    /**
     * Gogo's streams are the JVM's System.out: a command still ending after {@code threadIO.stop()} would set them
     * again (ThreadIOImpl.checkIO) under the next test. So every session is waited for first; each ends once its
     * client has gone (the tests close theirs), and it waits for its script's thread.
     */
    @AfterEach
    void stop() throws Exception {
        try {
            if (bound != null) {
                bound.server().close();
            }
            if (acceptor != null) {
                acceptor.join(5_000);
            }
            for (Thread session : sessions) {
                session.join(30_000);
                assertFalse(session.isAlive(), session + " still runs after its client went");
            }
        } finally {
            gogo.stop(); // closes every session: their executors' threads end
            awaitGogoThreads();
            threadIO.stop();
        }
    }

    /**
     * Waits until the threads of Gogo's sessions (where commands run) have ended: an interrupted command's thread
     * leaves Gogo's thread streams just after the command has returned, and doing so sets System.out back to them
     * (ThreadIOImpl.checkIO), which must happen before threadIO.stop(). Such a thread is named
     * {@code session-N-thread-M} only between jobs: while it runs one, Gogo renames it {@code job controller N} or
     * {@code pipe-STATEMENT} (CommandSessionImpl.JobImpl.run, Pipe.call). Matching the first name alone missed an
     * interrupted {@code pipe-test:block} still in its finally, and every later test of the JVM failed to start
     * Gogo (CI of stop 7).
     */
    private static void awaitGogoThreads() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().matches("session-\\d+-thread-\\d+|job controller \\d+|pipe-.*")) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                assertFalse(t.isAlive(), t + " of a closed Gogo session still runs");
            }
        }
    }

    /** What a client saw of one script. */
    private record Answer(int status, String out, String err) {
    }

    private static Answer run(ShellClient client, String script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = client.run(script, out, err);
        return new Answer(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSocketIsTheOwnersOnlyAndNothingOfItsMakingIsLeft() throws IOException {
        Path socket = dir.resolve(ShellClient.SOCKET);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals(Files.getOwner(dir), bound.owner());
        assertEquals(List.of(socket), Files.list(dir).toList(), "the folder it was bound in is gone");
    }

    @Test
    void aStaleSocketIsReplacedAndAStaleBindingFolderCleared() throws Exception {
        bound.server().close(); // as a runtime killed with SIGKILL leaves it: the file stays
        // the JDK closes a listening socket only once the accept blocked on it has returned: until the accept loop
        // has ended, a connection may still be taken (and then held by a session nobody closes)
        acceptor.join(5_000);
        assertFalse(acceptor.isAlive());
        acceptor = new Thread(() -> { }); // the test's accept loop ended with the first server; none needed here
        Path socket = dir.resolve(ShellClient.SOCKET);
        assertTrue(Files.exists(socket));
        assertThrows(IOException.class, () -> ShellClient.connect(socket), "nobody listens behind a stale one");
        Files.createDirectories(dir.resolve(".sock"));
        Files.writeString(dir.resolve(".sock/s"), "left by a kill during the binding");

        bound = ClientListener.bind(socket);
        try (ShellClient client = ShellClient.connect(socket)) {
            assertTrue(client != null);
        }
        assertEquals(List.of(socket), Files.list(dir).toList());
    }

    @Test
    void aScriptAnswersWithItsOutputAndExitStatusAsExecModeDoes() throws IOException {
        try (ShellClient client = ShellClient.connect(dir.resolve(ShellClient.SOCKET))) {
            assertEquals(new Answer(0, "a\nb\nc\n", ""), run(client, "test:say a b; test:say c"));
            assertEquals(new Answer(1, "before\n", "error: test:fail: why\n"),
                    run(client, "test:say before; test:fail why; test:say never"));
            assertEquals(new Answer(1, "", "error: Command not found: nosuch:command\n"),
                    run(client, "nosuch:command"));
            // one session: what a script sets, the next one sees
            assertEquals(new Answer(0, "kept\n", ""), run(client, "x = kept"));
            assertEquals(new Answer(0, "kept\n", ""), run(client, "test:say $x"));
        }
    }

    @Test
    void outputIsStreamedAsItIsPrintedNotAtTheEnd() throws Exception {
        try (ShellClient client = ShellClient.connect(dir.resolve(ShellClient.SOCKET))) {
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            command("gate", (session, args) -> {
                System.out.println("before the gate");
                release.await(); // the script cannot end until the client has seen its first line
                System.out.println("after the gate");
                return null;
            });
            OutputStream out = new OutputStream() {
                private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

                @Override
                public void write(int b) {
                    seen.write(b);
                    if (seen.toString(StandardCharsets.UTF_8).contains("before the gate\n")) {
                        first.countDown();
                        release.countDown();
                    }
                }
            };
            assertEquals(0, client.run("test:gate", out, new ByteArrayOutputStream()));
            assertTrue(first.await(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void anInterruptEndsTheRunningScriptAndTheSessionGoesOn() throws Exception {
        try (ShellClient client = ShellClient.connect(dir.resolve(ShellClient.SOCKET))) {
            Thread ctrlC = new Thread(() -> {
                try {
                    assertTrue(blockStarted.await(30, TimeUnit.SECONDS));
                    client.interrupt();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            ctrlC.start();
            Answer interrupted = run(client, "test:say started; test:block; test:say never");
            ctrlC.join();
            assertTrue(blockInterrupted.await(30, TimeUnit.SECONDS));
            assertEquals(130, interrupted.status(), interrupted.toString());
            assertEquals("started\n", interrupted.out());
            assertEquals("error: interrupted\n", interrupted.err());
            assertEquals(new Answer(0, "still here\n", ""), run(client, "test:say 'still here'"));
        }
    }

    @Test
    void aClientThatGoesAwayInterruptsItsScript() throws Exception {
        SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX);
        raw.connect(UnixDomainSocketAddress.of(dir.resolve(ShellClient.SOCKET)));
        Frames.writeText(raw, Frames.RUN, "test:block");
        assertTrue(blockStarted.await(30, TimeUnit.SECONDS));
        raw.close(); // Ctrl-C of bin/harmonix client: the process ends, its socket closes
        assertTrue(blockInterrupted.await(30, TimeUnit.SECONDS), "the command was interrupted");
    }

    @Test
    void twoClientsAtOnceEachGetTheirOwnOutput() throws Exception {
        Path socket = dir.resolve(ShellClient.SOCKET);
        try (ShellClient a = ShellClient.connect(socket); ShellClient b = ShellClient.connect(socket)) {
            Answer[] answers = new Answer[2];
            Thread other = new Thread(() -> {
                try {
                    answers[1] = run(b, "test:ticks 5 20; test:say b-done");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            other.start();
            answers[0] = run(a, "test:ticks 5 20; test:say a-done");
            other.join();
            String ticks = "tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n";
            assertEquals(new Answer(0, ticks + "a-done\n", ""), answers[0]);
            assertEquals(new Answer(0, ticks + "b-done\n", ""), answers[1]);
        }
    }

    @Test
    void aScriptSentWhileOneRunsEndsTheSession() throws Exception {
        SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX);
        raw.connect(UnixDomainSocketAddress.of(dir.resolve(ShellClient.SOCKET)));
        Frames.writeText(raw, Frames.RUN, "test:block");
        assertTrue(blockStarted.await(30, TimeUnit.SECONDS));
        Frames.writeText(raw, Frames.RUN, "test:say too-soon");
        assertTrue(blockInterrupted.await(30, TimeUnit.SECONDS));
        // the runtime closed the connection: the second script never ran, no exit frame answers it
        StringBuilder seen = new StringBuilder();
        try {
            for (Frames.Frame f; (f = Frames.read(raw)) != null; ) {
                seen.append((char) f.type());
            }
        } catch (IOException e) {
            // closed under the read: as good as the end
        }
        assertFalse(seen.toString().contains("o"), "no output of 'too-soon': " + seen);
        raw.close();
    }

    @Test
    void aResultWhoseFormattingThrowsAnErrorStillEndsTheScriptWithStatusOne() throws IOException {
        command("broken", (session, args) -> new Object() {
            @Override
            public String toString() {
                throw new NoClassDefFoundError("io/harmonix/Gone (its bundle was updated)");
            }
        });
        try (ShellClient client = ShellClient.connect(dir.resolve(ShellClient.SOCKET))) {
            Answer broken = run(client, "test:say before; test:broken");
            assertEquals(1, broken.status(), broken.toString());
            assertEquals("before\n", broken.out());
            assertEquals("error: NoClassDefFoundError: io/harmonix/Gone (its bundle was updated)\n", broken.err());
            assertEquals(new Answer(0, "after\n", ""), run(client, "test:say after"), "the session goes on");
        }
    }

    @Test
    void theSessionsUserIsTheClientsOperatingSystemUser() throws IOException {
        command("whoami", (session, args) -> {
            System.out.println(session.get(SessionUser.VARIABLE));
            return null;
        });
        // the user the kernel tells for this process: the owner of what it makes
        String me = Files.getOwner(dir).getName();
        try (ShellClient client = ShellClient.connect(dir.resolve(ShellClient.SOCKET))) {
            assertEquals(new Answer(0, me + "\n", ""), run(client, "test:whoami"));
        }
        // and a Harmonix command sees it as SessionUser, as the interactive console's commands do
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        command("decide", (session, args) -> {
            SessionUser.runAs((String) session.get(SessionUser.VARIABLE), () -> seen.set(SessionUser.require(null)));
            return null;
        });
        try (ShellClient client = ShellClient.connect(dir.resolve(ShellClient.SOCKET))) {
            assertEquals(0, run(client, "test:decide").status());
        }
        assertEquals(me, seen.get(), "no --as needed over the client");
    }

    @Test
    void aSocketPathTooLongForTheKernelIsRefusedSayingWhichPathAndTheLimit() throws IOException {
        Path deep = dir.resolve("d".repeat(95 - dir.toString().length()));
        Files.createDirectories(deep);
        Path socket = deep.resolve(ShellClient.SOCKET);
        assertTrue(socket.toString().length() > ShellClient.MAX_SOCKET_PATH, socket.toString());
        // short enough for the folder it is bound in (.sock/s), too long where clients look: refused before binding
        IOException e = assertThrows(IOException.class, () -> ClientListener.bind(socket));
        assertEquals("the command socket's path " + socket + " is " + socket.toString().length() + " bytes long, and "
                + "a Unix domain socket's path may have at most 107 bytes: give the runtime a data folder with a "
                + "path of at most 93 bytes (--data DIR or HARMONIX_DATA, the same for the runtime and its "
                + "clients)", e.getMessage());
        assertEquals(List.of(), Files.list(deep).toList(), "nothing made");
        IOException client = assertThrows(IOException.class, () -> ShellClient.connect(socket));
        assertEquals(e.getMessage(), client.getMessage());
    }

    @Test
    void theUserCheckComparesPrincipals() throws IOException {
        var owner = Files.getOwner(dir);
        assertTrue(ClientListener.sameUser(owner, owner));
        var nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        assertFalse(ClientListener.sameUser(owner, nobody));
    }
}
