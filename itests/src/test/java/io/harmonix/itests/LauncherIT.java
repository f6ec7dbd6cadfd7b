package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's life with other processes: the process that started it, another runtime on its port. */
class LauncherIT {
    @TempDir
    Path dir;

    private PackagedRuntime runtime;

    @BeforeEach
    void copyDistribution() throws Exception {
        runtime = PackagedRuntime.copyInto(dir);
    }

    /**
     * Exec mode runs on the quick compiler with one compiler thread; {@code HARMONIX_JAVA_OPTS} naming the optimizing
     * compiler gets it back as documented (one thread is too few for both: the JVM would refuse to start).
     */
    @Test
    void execModeTakesTheOptimizingCompilerFromHarmonixJavaOpts() throws Exception {
        for (String opts : List.of("-XX:TieredStopAtLevel=4", "")) {
            PackagedRuntime.Result r = runtime.execWith(java.util.Map.of("HARMONIX_JAVA_OPTS", opts),
                    "agent:list");
            assertEquals(0, r.exit(), opts + ": " + r.out() + r.err());
            assertTrue(r.out().contains("files"), opts + ": " + r.out());
        }
    }

    /**
     * A runtime started the way every test starts one ({@link PackagedRuntime#command}) by a process that is then
     * killed with SIGKILL (as Failsafe kills a fork that overran its timeout) stops on its own, cleanly: its data
     * folder is free again for the next runtime. The parent here is a shell that starts the runtime in the
     * background and prints its pid (bin/harmonix execs java: the pid is the runtime's).
     */
    @Test
    void aRuntimeStopsWhenTheProcessThatStartedItIsKilled() throws Exception {
        Path data = dir.resolve("data");
        // the runtime's standard error goes to a file: Java closes its end of a child's pipes once the child
        // (the shell) has exited, and what the runtime says after that would be lost
        Path errors = dir.resolve("runtime.err");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\" 2>runtime.err & echo $!; wait", "sh"));
        command.addAll(runtime.command("--data", data.toString(), "run"));
        Process parent = new ProcessBuilder(command).directory(dir.toFile()).start();
        PackagedRuntime.Output out = new PackagedRuntime.Output(parent.getInputStream());
        out.await("\n");
        long pid = Long.parseLong(out.text().lines().findFirst().orElseThrow().trim());
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
        try {
            out.await("Harmonix running");
            assertEquals(Optional.of(parent.pid()), child.parent().map(ProcessHandle::pid));

            parent.destroyForcibly(); // SIGKILL: the shell has no say
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
            try {
                child.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the runtime (pid " + pid + ") still runs a minute after its parent was "
                        + "killed:\n" + out.text() + Files.readString(errors));
            }
            String err = Files.readString(errors); // whole: its writer has ended
            assertTrue(err.contains("harmonix: the process that started this runtime (pid " + parent.pid()
                    + ") is gone: stopping"), err);
            // stopped in order, not killed: the bundles were stopped (the store shut Derby down) ...
            String log = Files.readString(data.resolve("log/harmonix.log"));
            assertTrue(log.contains("Derby database " + data.resolve("derby") + " shut down"), log);
            // ... and the next runtime of this data folder starts and finds it whole
            PackagedRuntime.Result next = runtime.exec("cycle:runs", "--data", data.toString());
            assertEquals(0, next.exit(), next.toString());
            assertFalse(next.err().contains("in use by another Harmonix runtime"), next.toString());
        } finally {
            child.destroyForcibly(); // without the fix it would outlive the test
        }
    }

    /**
     * The README's "second runtime beside the first": both runtimes of one installation read the same port from
     * etc/harmonix.properties. The second one listens on a free port of its own and says where; a port given on
     * the command line that is taken is refused in one line with exit status 1.
     */
    @Test
    void aSecondRuntimeBesideTheFirstListensOnAPortOfItsOwnAndSaysWhere() throws Exception {
        int port = runtime.port(); // the copy's own (not 8181: other runtimes of this machine may hold that one)

        Process first = runtime.start(dir, "--data", dir.resolve("first").toString(), "run");
        Process second = null;
        try {
            PackagedRuntime.Output firstOut = new PackagedRuntime.Output(first.getInputStream());
            PackagedRuntime.Output firstErr = new PackagedRuntime.Output(first.getErrorStream());
            firstOut.await("Harmonix running");
            assertTrue(firstOut.text().contains("listening on http://127.0.0.1:" + port + "/"),
                    firstOut.text() + firstErr.text());
            assertAnswers(port);

            second = runtime.start(dir, "--data", dir.resolve("second").toString(), "run");
            PackagedRuntime.Output secondOut = new PackagedRuntime.Output(second.getInputStream());
            PackagedRuntime.Output secondErr = new PackagedRuntime.Output(second.getErrorStream());
            secondOut.await("Harmonix running");
            Matcher listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/")
                    .matcher(secondOut.text());
            assertTrue(listening.find(), secondOut.text() + secondErr.text());
            int other = Integer.parseInt(listening.group(1));
            assertNotEquals(port, other);
            String err = secondErr.text();
            assertTrue(err.contains("harmonix: port " + port + " of 127.0.0.1 is taken by another process (another "
                    + "Harmonix runtime?): this runtime serves its console, /metrics and ingest on 127.0.0.1:" + other
                    + " instead; give it a port of its own with --port N, or org.osgi.service.http.port in "
                    + "etc/harmonix.properties"), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace:\n" + err);
            assertAnswers(other);
            assertAnswers(port); // the first one still has its own

            PackagedRuntime.Result refused = runtime.run(dir, "--data", dir.resolve("third").toString(), "--port",
                    Integer.toString(port), "run");
            assertEquals(1, refused.exit(), refused.toString());
            assertEquals("harmonix: port " + port + " of 127.0.0.1 is taken by another process (another Harmonix "
                    + "runtime?): not started; choose another with --port N\n", refused.err(), refused.toString());
            assertFalse(refused.out().contains("Harmonix running"), refused.toString());
        } finally {
            for (Process p : new Process[] {first, second}) {
                if (p != null) {
                    p.destroy(); // SIGTERM: the shutdown hook stops the framework
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                }
            }
        }
    }

    /** An HTTP answer (whichever: an unsigned request to the ingest endpoint) proves a runtime listens there. */
    private static void assertAnswers(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/harmonix/ingest/nobody"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.statusCode() >= 200, answer.statusCode() + " " + answer.body());
    }
}
