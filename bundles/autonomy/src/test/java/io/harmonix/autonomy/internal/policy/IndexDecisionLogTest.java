package io.harmonix.autonomy.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.internal.ledger.Items;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.Proofs;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.index.testing.Rfc9162Verifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision log over a real index: provable records, masked texts, known policies only, numbering that lasts. */
class IndexDecisionLogTest {
    private static final String SECRET = "ghp_R3aLlyS3cretT0ken0123456789abcdefXYZ";

    @TempDir
    Path dir;

    private final Items.ManualClock clock = new Items.ManualClock("2026-11-26T10:00:00Z");
    private IndexFixture fixture;
    private IndexDecisionLog log;

    @BeforeEach
    void open() throws Exception {
        fixture = IndexFixture.open(dir.resolve("data/index"), m -> { });
        log = new IndexDecisionLog(fixture.index(), new PolicyStore(dir.resolve("etc/autonomy-policies.yaml"),
                m -> { }), clock);
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void aRecordedDecisionIsProvableAgainstTheTreeHead() throws Exception {
        Decision d = log.record("ship", List.of("G-08", "G-02"), Map.of("change", 7, "sha", "ab".repeat(20),
                "checks", List.of("build", "test")), "allowed", List.of("every required check green"), "run-1");

        assertEquals("decisions-2026-11-26:1", d.id());
        assertEquals(List.of("G-02", "G-08"), d.policies());
        assertEquals(d, log.decision(d.id()).orElseThrow(), "read back from the index as recorded");

        Proofs.Inclusion proof = fixture.index().prove(d.id());
        String head = fixture.index().stats(DecisionLog.NAMESPACE).root();
        assertEquals(head, proof.root(), "proved against the namespace's current tree head");
        IndexedCycle held = fixture.index().find(d.id()).orElseThrow();
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("cycleId", d.id())
                .put("runId", held.snapshot().runId()).put("cycle", held.snapshot().cycle())
                .put("recordedAt", held.recordedAt().toString());
        record.set("snapshot", CycleSnapshots.toTree(held.snapshot()));
        byte[] leaf = Rfc9162Verifier.leaf(CycleSnapshots.canonicalJson(record).getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(leaf), proof.leafHash(), "the proof is of this decision's record");
        assertTrue(Rfc9162Verifier.inclusion(proof.leafIndex(), proof.treeSize(), proof.leafHash(), proof.path(),
                head));

        Decision second = log.record("toggle", List.of("P-001"), Map.of("name", "quarantineMode"), "allowed",
                List.of(), null);
        Proofs.Inclusion again = fixture.index().prove(d.id());
        assertTrue(Rfc9162Verifier.inclusion(again.leafIndex(), again.treeSize(), again.leafHash(), again.path(),
                fixture.index().stats(DecisionLog.NAMESPACE).root()), "still provable as the log grows");
        assertEquals(List.of(second, d), log.decisions(10), "newest first");
        assertEquals(List.of(second), log.decisions(1));
    }

    @Test
    void aSecretPlantedInADecisionNeverReachesTheIndex() throws Exception {
        log.addMasker(text -> text.replace(SECRET, SECRET.substring(0, 4) + "****"));
        Decision d = log.record("open-change " + SECRET, List.of("P-001"), Map.of("token", SECRET,
                "nested", Map.of(SECRET, List.of("x" + SECRET + "y", 3)), "log", "export TOKEN=" + SECRET),
                "refused", List.of("the build printed " + SECRET), "run-" + SECRET.substring(0, 8));

        assertFalse(d.toString().contains(SECRET), d.toString());
        assertEquals("ghp_****", d.inputs().get("token"));
        assertFalse(log.decision(d.id()).orElseThrow().toString().contains(SECRET));
        try (Stream<Path> files = Files.walk(dir.resolve("data/index"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(SECRET),
                        "the secret is in " + f);
            }
        }
    }

    @Test
    void aMaskerThatFailsRefusesTheDecisionAndNothingIsWritten() throws Exception {
        log.addMasker(text -> {
            throw new IllegalStateException("rules unreadable");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.record("ship",
                List.of("G-08"), Map.of(), "allowed", List.of(), null));
        assertTrue(e.getMessage().contains("rules unreadable"), e.getMessage());
        assertEquals(List.of(), log.decisions(10));
    }

    @Test
    void anUnknownPolicyIdIsRefusedAndNothingIsWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.record("ship",
                List.of("G-08", "P-005", "X-1"), Map.of(), "allowed", List.of(), null));
        assertTrue(e.getMessage().contains("[P-005, X-1]") && e.getMessage().contains("[G-02, G-08, P-001, "
                + "P-003, P-004]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> log.record(" ", List.of(), Map.of(), "allowed",
                List.of(), null));
        assertEquals(List.of(), log.decisions(10));
    }

    @Test
    void numberingGoesOnAfterAReopenAndStartsAgainEachDay() throws Exception {
        log.record("a", List.of(), Map.of(), "allowed", List.of(), null);
        log.record("b", List.of(), Map.of(), "allowed", List.of(), null);
        fixture.close();
        open();
        assertEquals("decisions-2026-11-26:3", log.record("c", List.of(), Map.of(), "allowed", List.of(), null).id());
        clock.advance(86_400);
        assertEquals("decisions-2026-11-27:1", log.record("d", List.of(), Map.of(), "allowed", List.of(), null).id());
        assertEquals(List.of("d", "c", "b", "a"), log.decisions(10).stream().map(Decision::decision).toList());
    }

    @Test
    void decisionsRecordedFromManyThreadsAreEachKeptOnceInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int n = i;
            futures.add(pool.submit(() -> log.record("d" + n, List.of("G-08"), Map.of("n", n), "allowed",
                    List.of(), null)));
        }
        Set<String> ids = new TreeSet<>();
        for (Future<Decision> f : futures) {
            ids.add(f.get().id());
        }
        pool.shutdown();
        assertEquals(80, ids.size());
        List<Decision> all = log.decisions(100);
        assertEquals(80, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals("decisions-2026-11-26:" + (80 - i), all.get(i).id());
        }
    }

    @Test
    void theTrailerIsOneLine() {
        Decision d = log.record("ship", List.of("G-08", "G-02", "P-001"), Map.of(), "allowed", List.of(), "r");
        assertEquals("TAP-DECISION: decisions-2026-11-26:1 ship=allowed policies=G-02,G-08,P-001", log.trailer(d));
        Decision odd = log.record("open change", List.of(), Map.of(), "refused\nbadly", List.of(), null);
        assertEquals("TAP-DECISION: decisions-2026-11-26:2 open-change=refused-badly policies=none",
                log.trailer(odd));
    }
}
