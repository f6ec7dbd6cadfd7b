package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged runtimes on loopback, A propagating its cycles to B's ingest endpoint. B is killed (SIGKILL) for a
 * while and restarted; A is killed with SIGKILL at several instants while it runs and delivers, and restarted. In
 * the end B's index holds each of A's cycles exactly once, in order, both indexes verify, and neither runtime's log
 * or output holds the secret or the token.
 *
 * <p>The runtimes boot the features propagation is made of: A the core (runner, journal, index), the files agent
 * and the propagator ({@value #FEATURES_A}), B the core and the propagator, whose ingest endpoint it serves
 * ({@value #FEATURES_B}). The default features' other bundles take no part in it and were most of each of the test's
 * ten starts (docs/performance.md "Test suite").
 */
class PropagationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CYCLES = 300;
    private static final int KILLS_OF_A = 6;
    private static final String FEATURES_A = "harmonix-core,harmonix-samples,harmonix-propagator";
    private static final String FEATURES_B = "harmonix-core,harmonix-propagator";

    @TempDir
    Path dir;

    private final List<String> outputs = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void killWhatIsLeft() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly(); // a failed assertion must not leave a runtime running
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void everyCycleOfAReachesBOnceAndInOrderThroughKillsOfBothSides() throws Exception {
        PackagedRuntime a = PackagedRuntime.copyInto(Files.createDirectories(dir.resolve("a")));
        PackagedRuntime b = PackagedRuntime.copyInto(Files.createDirectories(dir.resolve("b")));
        int portA = a.port();
        int portB = b.port();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        String token = "tok-" + Long.toHexString(new SecureRandom().nextLong());

        Files.writeString(a.home.resolve("etc/io.harmonix.agent.files.cfg"), "directory = system/features\n");
        // short retry delays and breaker cooldown, so that the test does not wait minutes after B comes back
        Files.writeString(a.home.resolve("etc/io.harmonix.propagator.cfg"), "retry.initialDelay = 100ms\n"
                + "retry.maxDelay = 1s\nbreaker.failures = 5\nbreaker.cooldown = 1s\ntimeout = 2s\n");
        Files.writeString(a.home.resolve("etc/registry.json"), "{\"endpoints\": [{\"id\": \"b\", \"url\": "
                + "\"http://127.0.0.1:" + portB + "/harmonix/ingest/runtime-a\", \"secret\": \"to-b\", "
                + "\"rateLimit\": {\"perSecond\": 200}}]}");
        secrets(a, "{\"secrets\": {\"to-b\": {\"signing\": [\"" + secret + "\"], \"token\": \"" + token + "\"}}}");
        Files.writeString(b.home.resolve("etc/registry.json"), "{\"peers\": [{\"id\": \"runtime-a\", "
                + "\"namespace\": \"from-a\", \"secret\": \"a\"}]}");
        secrets(b, "{\"secrets\": {\"a\": {\"signing\": [\"" + secret + "\"]}}}");

        Process procB = startRun(b, FEATURES_B);
        PackagedRuntime.Result created = a.exec("cycle:run --id p --agents files --cycles " + CYCLES
                + " --interval 40ms", "--features", FEATURES_A);
        assertEquals(0, created.exit(), created.toString());
        outputs.add(created.toString());

        // A runs and delivers; B is killed for three seconds meanwhile
        Process procA = startRun(a, FEATURES_A);
        Thread.sleep(1500);
        kill(procB);
        Thread.sleep(3000);
        procB = startRun(b, FEATURES_B);

        // A is killed at several instants: while booting, running cycles, delivering, retrying
        Random random = new Random(20261121);
        for (int i = 0; i < KILLS_OF_A; i++) {
            Thread.sleep(400 + random.nextInt(1600));
            kill(procA);
            procA = startRun(a, FEATURES_A);
        }
        Thread.sleep(1000);
        procA.destroy(); // SIGTERM: a clean stop
        assertTrue(procA.waitFor(60, TimeUnit.SECONDS));

        // the run finishes (resumed if the kills left it interrupted), and everything is delivered
        PackagedRuntime.Result shown = a.exec("cycle:show p --json", "--features", FEATURES_A);
        outputs.add(shown.toString());
        String state = JSON.readTree(shown.out()).get("state").asText();
        String finish = state.equals("completed") ? "" : "cycle:resume p; cycle:await p --timeout 5m; ";
        PackagedRuntime.Result drained = a.exec(finish + "propagate:status --await-idle 2m --json", "--features",
                FEATURES_A);
        outputs.add(drained.toString());
        assertEquals(0, drained.exit(), drained.toString());
        JsonNode status = JSON.readTree(drained.out().substring(drained.out().indexOf('[')));
        assertEquals(0, status.get(0).get("lag").asLong(), drained.out());
        assertEquals(0, status.get(0).get("deadLetters").asLong(), drained.out());

        procB.destroy();
        assertTrue(procB.waitFor(60, TimeUnit.SECONDS));

        PackagedRuntime.Result onB = b.exec("index:verify; index:replay p --namespace from-a --json", "--features",
                FEATURES_B);
        outputs.add(onB.toString());
        assertEquals(0, onB.exit(), onB.toString());
        List<Long> cycles = new ArrayList<>();
        for (String line : onB.out().split("\n")) {
            if (line.startsWith("{")) {
                cycles.add(JSON.readTree(line).get("cycle").asLong());
            }
        }
        assertEquals(LongStream.rangeClosed(1, CYCLES).boxed().toList(), cycles, "each cycle once, in order");
        assertTrue(onB.out().contains("from-a: ok, " + CYCLES + " records"), onB.out());
        PackagedRuntime.Result stats = b.exec("index:stats --namespace from-a --json", "--features", FEATURES_B);
        assertEquals(CYCLES, JSON.readTree(stats.out()).get(0).get("treeSize").asLong(), "nothing appended twice");

        PackagedRuntime.Result onA = a.exec("index:verify; propagate:attempts b --limit 1000 --json", "--features",
                FEATURES_A);
        outputs.add(onA.toString());
        assertEquals(0, onA.exit(), onA.toString());
        assertTrue(onA.out().contains("local: ok, " + CYCLES + " records"), onA.out());

        // the secret and the token are in no log and no output
        for (PackagedRuntime r : List.of(a, b)) {
            String log = Files.readString(r.home.resolve("log/harmonix.log"));
            assertFalse(log.contains(token) || log.contains(secret) || log.contains(secret.substring(6)),
                    "secret in " + r.home);
        }
        String all = String.join("\n", outputs);
        assertFalse(all.contains(token) || all.contains(secret.substring(6)), "secret in an output");
        JsonNode attempts = JSON.readTree(onA.out().substring(onA.out().indexOf('[')));
        int delivered = 0;
        int retried = 0;
        for (JsonNode at : attempts) {
            delivered += at.get("outcome").asText().equals("delivered") ? 1 : 0;
            retried += at.get("outcome").asText().equals("retry") ? 1 : 0;
        }
        // a delivery whose cursor move was lost to a kill is sent again: B answers it as a duplicate
        assertTrue(delivered >= CYCLES, "delivered attempts " + delivered);
        System.out.println("PropagationIT: " + CYCLES + " cycles, B killed once for 3 s, A killed " + KILLS_OF_A
                + " times (run " + state + " before the last restart); A made " + delivered + " successful "
                + "deliveries and " + retried + " failed attempts; B holds each cycle once, in order");
    }

    private Process startRun(PackagedRuntime r, String features) throws Exception {
        Process p = r.start(r.home, "--features", features, "run");
        started.add(p);
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        PackagedRuntime.Output err = new PackagedRuntime.Output(p.getErrorStream());
        out.await("Harmonix running");
        synchronized (outputs) {
            outputs.add("(process outputs are checked when it ends)");
        }
        Thread collector = new Thread(() -> {
            try {
                p.waitFor();
                synchronized (outputs) {
                    outputs.add(out.rest() + err.rest());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        collector.setDaemon(true);
        collector.start();
        return p;
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
    }

    private static void secrets(PackagedRuntime r, String json) throws Exception {
        Path p = r.home.resolve("etc/pulse.json");
        Files.writeString(p, json);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
}
