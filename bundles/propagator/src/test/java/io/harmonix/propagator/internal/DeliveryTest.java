package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.propagator.api.DeadLetter;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.DeliveryAttempt.Outcome;
import io.harmonix.propagator.api.EndpointStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery on real parts: Derby, the index on files, HTTP on loopback to a receiver the test scripts. */
class DeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Fixture fx;
    private LoopbackReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(dir);
        receiver = new LoopbackReceiver();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
        receiver.close();
    }

    /**
     * Endpoint e1 at the receiver ({@code endpointFields} added to its registry entry), cycles 1 to {@code cycles} of
     * {@code run} in the index, then delivery started with {@code settings}: how most tests begin.
     */
    private void deliver(String endpointFields, String run, long cycles, Map<String, String> settings)
            throws Exception {
        fx.endpoint(receiver.url(), endpointFields);
        fx.append(run, 1, cycles);
        fx.start(settings);
    }

    private static long cycleOf(LoopbackReceiver.Request r) throws Exception {
        return JSON.readTree(r.body()).get("cycle").asLong();
    }

    @Test
    void deliversEveryCycleOnceInOrderSignedAsStandardWebhooksSayAndResumesFromTheDurableCursor() throws Exception {
        deliver("", "r1", 5, Map.of());
        List<LoopbackReceiver.Request> got = receiver.await(5, 20);
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(Fixture.SECRET);
        for (int i = 0; i < 5; i++) {
            LoopbackReceiver.Request r = got.get(i);
            assertEquals(i + 1, cycleOf(r), "in order");
            assertTrue(verifier.verify(r.header("webhook-id"), r.header("webhook-timestamp"), r.body(),
                    r.header("webhook-signature")), "signature of request " + i);
            assertEquals(Webhooks.messageId("e1", CycleSnapshot.cycleIdOf("r1", i + 1)), r.header("webhook-id"));
            assertEquals("Bearer " + Fixture.TOKEN, r.header("authorization"));
            assertEquals("application/json", r.header("content-type"));
        }
        EndpointStatus s = fx.service.status().get(0);
        assertEquals(0, s.lag());
        assertEquals(5, s.delivered());
        assertEquals(Map.of("local", 5L), s.cursors());

        // a new service on the same database starts from the cursor: nothing is sent twice
        fx.stopService();
        fx.append("r1", 6, 7);
        fx.start(Map.of());
        got = receiver.await(7, 20);
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        Thread.sleep(200);
        assertEquals(7, receiver.requests().size());
        assertEquals(List.of(6L, 7L), List.of(cycleOf(got.get(5)), cycleOf(got.get(6))));
    }

    @Test
    void onlyTheNamespacesRunsAndEventsAnEndpointAsksFor() throws Exception {
        fx.endpoint(receiver.url(), ", \"runs\": [\"keep-*\"], \"events\": [\"cycle.failed\"]");
        fx.recorder.recordCycle(Fixture.snapshot("keep-1", 1, CycleStatus.OK));
        fx.recorder.recordCycle(Fixture.snapshot("keep-1", 2, CycleStatus.FAILED));
        fx.recorder.recordCycle(Fixture.snapshot("other", 1, CycleStatus.FAILED));
        fx.recorder.recordCycle(Fixture.snapshot("keep-2", 1, CycleStatus.FAILED));
        fx.start(Map.of());
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        List<LoopbackReceiver.Request> got = receiver.requests();
        assertEquals(2, got.size());
        assertEquals("keep-1", JSON.readTree(got.get(0).body()).get("runId").asText());
        assertEquals("cycle.failed", got.get(0).header("harmonix-event"));
        assertEquals("keep-2", JSON.readTree(got.get(1).body()).get("runId").asText());
        assertEquals(Map.of("local", 4L), fx.service.status().get(0).cursors(), "skipped cycles move the cursor");
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver.script(r -> calls.incrementAndGet() == 1
                ? new LoopbackReceiver.Response(429, Map.of("Retry-After", "1"), "slow down", 0)
                : LoopbackReceiver.Response.ok());
        deliver("", "r", 1, Map.of());
        List<LoopbackReceiver.Request> got = receiver.await(2, 20);
        long gapMillis = (got.get(1).atNanos() - got.get(0).atNanos()) / 1_000_000;
        assertTrue(gapMillis >= 950, "Retry-After: 1 honoured (backoff alone is 20 ms); gap " + gapMillis);
        assertEquals(got.get(0).header("webhook-id"), got.get(1).header("webhook-id"), "same id on retry");
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        List<DeliveryAttempt> attempts = fx.service.attempts("e1", 10);
        assertEquals(Outcome.DELIVERED, attempts.get(0).outcome());
        assertEquals(2, attempts.get(0).attempt());
        assertEquals(Outcome.RETRY, attempts.get(1).outcome());
        assertEquals(429, attempts.get(1).status());
    }

    @Test
    void serverErrorsAreRetriedWithGrowingDelaysUntilDelivered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver.script(r -> calls.incrementAndGet() <= 3 ? LoopbackReceiver.Response.status(503)
                : LoopbackReceiver.Response.ok());
        deliver("", "r", 2, Map.of("retry.initialDelay", "100ms", "retry.multiplier", "2"));
        List<LoopbackReceiver.Request> got = receiver.await(5, 20);
        long[] gaps = new long[3];
        for (int i = 0; i < 3; i++) {
            gaps[i] = (got.get(i + 1).atNanos() - got.get(i).atNanos()) / 1_000_000;
        }
        assertTrue(gaps[0] >= 90 && gaps[1] >= 190 && gaps[2] >= 390, "100, 200, 400 ms: " + List.of(gaps[0],
                gaps[1], gaps[2]));
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L), got.stream().limit(5).map(r -> {
            try {
                return cycleOf(r);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList(), "the first cycle is retried before the second goes");
    }

    @Test
    void a410DisablesTheEndpointUntilResumed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver.script(r -> calls.incrementAndGet() == 1 ? LoopbackReceiver.Response.status(410)
                : LoopbackReceiver.Response.ok());
        deliver("", "r", 3, Map.of());
        receiver.await(1, 20);
        Thread.sleep(500);
        assertEquals(1, receiver.requests().size(), "nothing more after 410");
        EndpointStatus s = fx.service.status().get(0);
        assertEquals(EndpointStatus.State.DISABLED, s.state());
        assertTrue(s.disabledReason().startsWith("410 Gone"), s.disabledReason());
        assertEquals(3, s.lag());

        fx.stopService();
        fx.start(Map.of());
        Thread.sleep(300);
        assertEquals(EndpointStatus.State.DISABLED, fx.service.status().get(0).state(), "durable");
        fx.service.resume("e1");
        receiver.await(4, 20);
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(3, fx.service.status().get(0).delivered());
    }

    @Test
    void aRefusedCycleIsDeadLetteredAfterTheConfiguredAttemptsAndCanBeRedelivered() throws Exception {
        receiver.script(r -> r.body().contains("\"cycle\":2") && !r.headers().containsKey("x-never")
                ? LoopbackReceiver.Response.status(400) : LoopbackReceiver.Response.ok());
        deliver("", "r", 3, Map.of("retry.attempts", "3"));
        receiver.await(5, 20); // 1, 2, 2, 2, 3
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        List<DeadLetter> dead = fx.service.deadLetters("e1");
        assertEquals(1, dead.size());
        assertEquals(CycleSnapshot.cycleIdOf("r", 2), dead.get(0).cycleId());
        assertEquals(3, dead.get(0).attempts());
        assertEquals(400, dead.get(0).lastStatus());
        assertEquals(Outcome.DEAD, fx.service.attempts("e1", 10).get(1).outcome());
        assertEquals(Outcome.DELIVERED, fx.service.attempts("e1", 10).get(0).outcome(), "cycle 3 went on");

        receiver.script(r -> LoopbackReceiver.Response.ok());
        assertEquals(1, fx.service.redeliverDead("e1"));
        List<LoopbackReceiver.Request> got = receiver.await(6, 20);
        assertEquals(2, cycleOf(got.get(5)));
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(List.of(), fx.service.deadLetters("e1"));
        assertEquals(got.get(1).header("webhook-id"), got.get(5).header("webhook-id"), "same id as before");
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver.script(r -> calls.incrementAndGet() == 1 ? new LoopbackReceiver.Response(200, Map.of(), "late", 1500)
                : LoopbackReceiver.Response.ok());
        deliver("", "r", 1, Map.of("timeout", "300ms"));
        receiver.await(2, 20);
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        List<DeliveryAttempt> attempts = fx.service.attempts("e1", 10);
        assertEquals(Outcome.RETRY, attempts.get(1).outcome());
        assertEquals(0, attempts.get(1).status());
        assertTrue(attempts.get(1).error().startsWith("timeout"), attempts.get(1).error());
        assertEquals(Outcome.DELIVERED, attempts.get(0).outcome());
    }

    @Test
    void theRateLimitSpacesRequests() throws Exception {
        deliver(", \"rateLimit\": {\"perSecond\": 10, \"burst\": 1}", "r", 11, Map.of());
        List<LoopbackReceiver.Request> got = receiver.await(11, 20);
        long spanMillis = (got.get(10).atNanos() - got.get(0).atNanos()) / 1_000_000;
        assertTrue(spanMillis >= 900, "11 requests at 10/s with a burst of 1 take at least 1 s: " + spanMillis);
    }

    @Test
    void theCircuitBreakerOpensAfterConsecutiveFailuresAndLetsOneTrialThroughAfterItsCooldown() throws Exception {
        receiver.script(r -> LoopbackReceiver.Response.status(503));
        deliver("", "r", 1, Map.of("breaker.failures", "3", "breaker.cooldown", "1500ms", "retry.initialDelay",
                "10ms", "retry.multiplier", "1"));
        List<LoopbackReceiver.Request> got = receiver.await(3, 20);
        Thread.sleep(300);
        assertEquals(3, receiver.requests().size(), "open: no request during the cooldown");
        assertEquals(EndpointStatus.Breaker.OPEN, fx.service.status().get(0).breaker());
        got = receiver.await(4, 20);
        long gapMillis = (got.get(3).atNanos() - got.get(2).atNanos()) / 1_000_000;
        assertTrue(gapMillis >= 1400, "the trial came after the cooldown: " + gapMillis);
        Thread.sleep(300);
        assertEquals(4, receiver.requests().size(), "the trial failed: open again");

        receiver.script(r -> LoopbackReceiver.Response.ok());
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(EndpointStatus.Breaker.CLOSED, fx.service.status().get(0).breaker());
    }

    @Test
    void pauseIsDurableAndResumeSendsWhatWaited() throws Exception {
        fx.endpoint(receiver.url(), "");
        fx.start(Map.of());
        fx.service.pause("e1");
        fx.append("r", 1, 3);
        Thread.sleep(500);
        assertEquals(0, receiver.requests().size());
        fx.stopService();
        fx.start(Map.of());
        Thread.sleep(300);
        assertEquals(EndpointStatus.State.PAUSED, fx.service.status().get(0).state());
        assertEquals(0, receiver.requests().size());
        fx.service.resume("e1");
        receiver.await(3, 20);
    }

    @Test
    void aCronScheduleDeliversAtItsFireTimesOnly() throws Exception {
        deliver("", "r", 2, Map.of("schedule.e1", "0 0 0 1 1 ?")); // midnight on January 1st
        Thread.sleep(800);
        assertEquals(0, receiver.requests().size());
        EndpointStatus s = fx.service.status().get(0);
        assertEquals(EndpointStatus.State.IDLE, s.state());
        assertTrue(s.nextAttemptAt() != null && s.nextAttemptAt().isAfter(java.time.Instant.now()));

        fx.stopService();
        fx.start(Map.of("schedule", "* * * * * ?")); // every second
        receiver.await(2, 20);
    }

    @Test
    void registryChangesArePickedUpWithoutARestart() throws Exception {
        deliver(", \"enabled\": false", "r", 2, Map.of());
        Thread.sleep(300);
        assertEquals(0, receiver.requests().size());
        fx.endpoint(receiver.url(), "");
        receiver.await(2, 20);

        // a broken registry is refused, and the endpoints stay as they were
        fx.registry("{\"endpoints\": [{\"id\": \"e1\"}]}");
        long end = System.currentTimeMillis() + 5000;
        while (fx.service.configurationProblems().isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertTrue(fx.service.configurationProblems().get(0).contains("/endpoints/0/url"),
                fx.service.configurationProblems().toString());
        assertEquals(1, fx.service.endpoints().size());
    }

    @Test
    void pingIsSignedAndRecorded() throws Exception {
        fx.endpoint(receiver.url(), "");
        fx.start(Map.of());
        DeliveryAttempt a = fx.service.test("e1");
        assertEquals(200, a.status());
        assertEquals(Outcome.TEST, a.outcome());
        LoopbackReceiver.Request r = receiver.requests().get(0);
        assertTrue(new StandardWebhooksVerifier(Fixture.SECRET).verify(r.header("webhook-id"),
                r.header("webhook-timestamp"), r.body(), r.header("webhook-signature")));
        assertEquals("harmonix.ping", JSON.readTree(r.body()).get("type").asText());
        assertEquals(a.webhookId(), fx.service.attempts("e1", 1).get(0).webhookId());
    }

    @Test
    void secretsAndTokensReachNoLogAndNoAttempt() throws Exception {
        // a receiver that fails in every way the log reports
        AtomicInteger calls = new AtomicInteger();
        receiver.script(r -> switch (calls.incrementAndGet()) {
            case 1 -> LoopbackReceiver.Response.status(500);
            case 2 -> LoopbackReceiver.Response.status(400);
            default -> LoopbackReceiver.Response.ok();
        });
        deliver("", "r", 2, Map.of("retry.attempts", "1", "breaker.failures", "1", "breaker.cooldown", "10ms"));
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        // and a pulse.json others can read, and one with a malformed secret
        fx.pulse("{\"secrets\": {\"e1\": {\"signing\": [\"whsec_short" + Fixture.TOKEN + "!\"], \"token\": \""
                + Fixture.TOKEN + "\"}}}");
        waitForProblems();
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("etc/pulse.json"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        java.nio.file.Files.writeString(dir.resolve("etc/pulse.json"), "{\"secrets\": {\"e1\": {\"signing\": [\""
                + Fixture.SECRET + "\"], \"token\": \"" + Fixture.TOKEN + "\"}}}");
        long end = System.currentTimeMillis() + 5000;
        while (fx.log.stream().noneMatch(l -> l.contains("readable by other users"))
                && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        List<String> everything = new java.util.ArrayList<>(fx.log);
        fx.service.attempts("e1", 100).forEach(a -> everything.add(String.valueOf(a)));
        fx.service.deadLetters(null).forEach(d -> everything.add(String.valueOf(d)));
        everything.addAll(fx.service.configurationProblems());
        String all = String.join("\n", everything);
        assertTrue(all.contains("readable by other users"), all);
        assertTrue(all.contains("dead-lettered"), all);
        assertFalse(all.contains(Fixture.TOKEN), all);
        assertFalse(all.contains(Fixture.SECRET), all);
        assertFalse(all.contains(Fixture.SECRET.substring(6)), all);
        assertNull(null);
    }

    @Test
    void aPeerThatWasAwayDoesNotDeadLetterACycleAtItsFirstRefusal() throws Exception {
        // a receiver restarting: away (503) for a while, then a 404 between its HTTP server and its ingest path
        AtomicInteger calls = new AtomicInteger();
        receiver.script(r -> switch (calls.incrementAndGet()) {
            case 1, 2, 3, 4 -> LoopbackReceiver.Response.status(503);
            case 5 -> LoopbackReceiver.Response.status(404);
            default -> LoopbackReceiver.Response.ok();
        });
        deliver("", "r", 1, Map.of("retry.attempts", "3", "breaker.failures", "100"));
        assertTrue(fx.service.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(List.of(), fx.service.deadLetters(null), "five attempts, but only one refusal of three allowed");
        assertEquals(6, calls.get());
    }

    @Test
    void aSyntaxErrorInPulseJsonSaysWhereAndWhatKindNeverTheText() throws Exception {
        fx.endpoint(receiver.url(), "");
        fx.start(Map.of());
        // a value left unquoted: the parser's own message would quote it
        fx.pulse("{\"secrets\": {\"e1\": {\"signing\": [\"" + Fixture.SECRET + "\"], \"token\": " + Fixture.TOKEN
                + "}}}");
        waitForProblems();
        String problem = fx.service.configurationProblems().get(0);
        assertTrue(problem.matches(".*pulse\\.json line 1, column \\d+: not valid JSON: Unrecognized token \\(the file "
                + "holds secrets: its text is not shown\\)"), problem);
        String all = String.join("\n", fx.log) + String.join("\n", fx.service.configurationProblems());
        assertFalse(all.contains(Fixture.TOKEN), all);
        assertFalse(all.contains(Fixture.TOKEN.substring(0, 8)), all);
        assertFalse(all.contains(Fixture.SECRET.substring(6)), all);
    }

    @Test
    void aPulseJsonMadePrivateIsTakenWithoutAnotherChange() throws Exception {
        fx.endpoint(receiver.url(), "");
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("etc/pulse.json"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        fx.start(Map.of());
        waitForProblems();
        assertTrue(fx.service.configurationProblems().get(0).contains("readable by other users"),
                fx.service.configurationProblems().toString());
        // chmod 600: neither its time nor its text changes
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("etc/pulse.json"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        long end = System.currentTimeMillis() + 5000;
        while (!fx.service.configurationProblems().isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), fx.service.configurationProblems());
        assertEquals(1, fx.service.endpoints().size());
    }

    private void waitForProblems() throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (fx.service.configurationProblems().isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertFalse(fx.service.configurationProblems().isEmpty());
    }
}
