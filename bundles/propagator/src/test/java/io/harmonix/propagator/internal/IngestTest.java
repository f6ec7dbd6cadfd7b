package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.propagator.internal.ingest.Ingest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest side on the real index and Derby: who may append, what is refused, replays answered once. */
class IngestTest {
    @TempDir
    Path dir;

    private Fixture fx;
    private IngestService ingest;
    private final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(dir);
        fx.registry("{\"peers\": [{\"id\": \"runtime-a\", \"namespace\": \"peer-a\", \"secret\": \"a\"}]}");
        fx.pulse("{\"secrets\": {\"a\": {\"signing\": [\"" + Fixture.SECRET + "\", \"" + Fixture.NEW_SECRET
                + "\"]}}}");
        fx.start(Map.of());
        // a fixed clock: the tolerance cases sit one second past the edge, whatever time the set-up took
        ingest = fx.service.ingest(() -> Instant.ofEpochSecond(now));
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private static byte[] body(long cycle) {
        return CycleSnapshots.toCanonicalJson(Fixture.snapshot("ra", cycle, CycleStatus.OK))
                .getBytes(StandardCharsets.UTF_8);
    }

    private Ingest.Answer post(String peer, String id, long ts, byte[] body, String secret) {
        String sig = Webhooks.sign(List.of(Webhooks.key(secret)), id, ts, body);
        return ingest.receive(peer, id, Long.toString(ts), sig, body, "127.0.0.1");
    }

    private long held() throws Exception {
        return fx.index.namespaces().contains("peer-a") ? fx.index.stats("peer-a").treeSize() : 0;
    }

    @Test
    void aSignedSnapshotIsAppendedUnderThePeersNamespaceOnceEvenWhenReplayed() throws Exception {
        Ingest.Answer a = post("runtime-a", "msg_1", now, body(1), Fixture.SECRET);
        assertEquals(200, a.status(), a.json());
        assertTrue(a.json().contains("\"appended\":1"), a.json());
        Ingest.Answer again = post("runtime-a", "msg_1", now + 5, body(1), Fixture.SECRET);
        assertEquals(200, again.status());
        assertTrue(again.json().contains("\"duplicate\":true"), again.json());
        // signed with the peer's other (rotated) secret
        assertEquals(200, post("runtime-a", "msg_2", now, body(2), Fixture.NEW_SECRET).status());
        assertEquals(2, held());
        assertEquals("ra", fx.index.list("peer-a", null, 0, 10).get(1).snapshot().runId());
        // a new id for a cycle already held (a redelivery after the seen ids were forgotten) appends nothing
        Ingest.Answer old = post("runtime-a", "msg_3", now, body(1), Fixture.SECRET);
        assertEquals(200, old.status());
        assertTrue(old.json().contains("\"appended\":0"), old.json());
        assertEquals(2, held());
    }

    @Test
    void refusedRequestsAppendNothingAndAreLogged() throws Exception {
        byte[] b = body(1);
        String sig = Webhooks.sign(List.of(Webhooks.key(Fixture.SECRET)), "msg_1", now, b);
        byte[] tampered = new String(b, StandardCharsets.UTF_8).replace("\"ra\"", "\"rb\"")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(401, ingest.receive("runtime-a", "msg_1", Long.toString(now), sig, tampered, "x").status());
        String otherSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertEquals(401, post("runtime-a", "msg_1", now, b, otherSecret).status());
        assertEquals(403, post("stranger", "msg_1", now, b, Fixture.SECRET).status());
        assertEquals(401, post("runtime-a", "msg_1", now - 301, b, Fixture.SECRET).status(), "older than 5 min");
        assertEquals(401, post("runtime-a", "msg_1", now + 301, b, Fixture.SECRET).status(), "from the future");
        assertEquals(400, ingest.receive("runtime-a", null, Long.toString(now), sig, b, "x").status());
        assertEquals(400, post("runtime-a", "msg_1", now, "{\"cycle\": 1}".getBytes(StandardCharsets.UTF_8),
                Fixture.SECRET).status());
        assertEquals(0, held());
        assertTrue(fx.log.stream().filter(l -> l.contains("ingest refused")).count() >= 6, fx.log.toString());
        // after all that, the real one still goes in: the refused ones did not mark its id as seen
        assertEquals(200, post("runtime-a", "msg_1", now, b, Fixture.SECRET).status());
        assertEquals(1, held());
    }

    /** A correctly signed snapshot of run "ra", cycle 1, edited as {@code edit} says. */
    private static byte[] edited(java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = CycleSnapshots.toTree(
                Fixture.snapshot("ra", 1, CycleStatus.OK));
        edit.accept(tree);
        return CycleSnapshots.canonicalJson(tree).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signedSnapshotsThatBreakTheSchemaOrTheIdRulesAreRefusedWithTheReasonAndAppendNothing() throws Exception {
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("/cycleId", edited(t -> t.put("cycleId", "rb:1")));
        bad.put("/schemaVersion", edited(t -> t.put("schemaVersion", 99)));
        bad.put("/runId", edited(t -> t.put("runId", "../../x").put("cycleId", "../../x:1")));
        bad.put("/cycle", edited(t -> t.put("cycle", 0).put("cycleId", "ra:0")));
        bad.put("/extra", edited(t -> t.put("extra", true)));
        bad.put("/startedAt", edited(t -> t.put("startedAt", "yesterday")));
        bad.put("/agents/0/stateDigest", edited(t -> t.withArray("agents").addObject().put("agentId", "a")
                .put("agentType", "t").put("status", "ok").put("stateDigest", "nope").put("durationMillis", 1)
                .set("outputs", t.objectNode())));
        int i = 0;
        for (var e : bad.entrySet()) {
            Ingest.Answer a = post("runtime-a", "msg_bad_" + i++, now, e.getValue(), Fixture.SECRET);
            assertEquals(400, a.status(), e.getKey() + ": " + a.json());
            assertTrue(a.json().contains(e.getKey()), "the reason names " + e.getKey() + ": " + a.json());
        }
        assertEquals(0, held());
        // the same cycle, right this time, goes in: the refused requests did not mark their ids as seen
        assertEquals(200, post("runtime-a", "msg_bad_0", now, body(1), Fixture.SECRET).status());
        assertEquals(1, held());
    }

    @Test
    void aPingIsAnsweredAndAppendsNothing() throws Exception {
        Ingest.Answer a = post("runtime-a", "msg_ping_1", now,
                "{\"type\":\"harmonix.ping\"}".getBytes(StandardCharsets.UTF_8), Fixture.SECRET);
        assertEquals(200, a.status());
        assertTrue(a.json().contains("pong"));
        assertEquals(0, held());
    }
}
