package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStats;
import io.harmonix.proposals.api.EnhancementStatus;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The ledger's records: idempotent submission, the transitions allowed and refused, filters, stats. */
class LedgerTest extends WithFixture {
    private static final String DIFF = """
            --- a/src/shop/Basket.java
            +++ b/src/shop/Basket.java
            @@ -5,1 +5,0 @@
            -import java.util.Map;
            """;


    @Test
    void theSameRepositoryFingerprintAndBaseCommitGiveTheSameRecord() throws Exception {
        Map.Entry<Finding, Proposal> fix = fx.handMade("a", DIFF);
        Enhancement first = fx.submit(fix);
        Enhancement again = fx.ledger().submit("wave-2", "quality.other", fx.repository, fix.getKey(),
                fix.getValue());
        assertEquals(first, again, "the first record, whoever submits it again");
        assertEquals(1, fx.ledger().enhancements(null).size());

        fx.repo.write("README.md", "shop\n").commit("readme");
        Proposal onNewBase = new Proposal(fix.getValue().fingerprint(), fx.repo.head(), "t", DIFF, "");
        Enhancement other = fx.submit(Map.entry(fix.getKey(), onNewBase));
        assertNotEquals(first.id(), other.id(), "another base commit: another enhancement");
        Enhancement f = fx.ledger().enhancement(first.id()).orElseThrow();
        assertEquals("quality", f.agentType());
        assertEquals("UnnecessaryImport", f.ruleId());
        assertEquals("wave-1", f.waveId());
        assertEquals("quality.test", f.agentId());
        assertEquals("shop", f.repository());
        assertEquals(DIFF, f.diff());
        assertTrue(f.details().startsWith("Unused import 'java.util.Map' (src/shop/Basket.java:5)."), f.details());
    }

    @Test
    void aProposalOfAnotherFindingOrWithoutAFullCommitIsRefused() throws Exception {
        Map.Entry<Finding, Proposal> fix = fx.handMade("a", DIFF);
        Map.Entry<Finding, Proposal> other = fx.handMade("b", DIFF);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> fx.ledger().submit(null, null, fx.repository, fix.getKey(), other.getValue()));
        assertTrue(wrong.getMessage().startsWith("the proposal fixes finding "), wrong.getMessage());
        Proposal shortCommit = new Proposal(fix.getKey().fingerprint(), "HEAD", "t", DIFF, "");
        IllegalArgumentException head = assertThrows(IllegalArgumentException.class,
                () -> fx.ledger().submit(null, null, fx.repository, fix.getKey(), shortCommit));
        assertEquals("the proposal's commit must be a full commit id (40 lower-case hex digits); was 'HEAD'",
                head.getMessage());
        assertTrue(fx.ledger().enhancements(null).isEmpty());
    }

    @Test
    void onlyTheTransitionsOfTheStatusTableHappen() throws Exception {
        Enhancement e = fx.submit(fx.handMade("a", DIFF));
        IllegalStateException notValidated = assertThrows(IllegalStateException.class,
                () -> fx.ledger().markApplied(e.id(), "a".repeat(40)));
        assertEquals("enhancement " + e.id() + " is proposed: only a validated one is applied",
                notValidated.getMessage());
        IllegalStateException notApplied = assertThrows(IllegalStateException.class,
                () -> fx.ledger().rollback(e.id()));
        assertEquals("enhancement " + e.id() + " is proposed: only an applied one is rolled back",
                notApplied.getMessage());

        Enhancement refused = fx.ledger().reject(e.id(), "touches a component owned by quality.b");
        assertEquals(EnhancementStatus.REJECTED, refused.status());
        assertEquals("refused: touches a component owned by quality.b", refused.reason());
        assertThrows(IllegalStateException.class, () -> fx.ledger().reject(e.id(), "again"));
        IllegalStateException finalOne = assertThrows(IllegalStateException.class,
                () -> fx.ledger().validate(e.id()));
        assertEquals("enhancement " + e.id() + " is rejected: only a proposed one is validated",
                finalOne.getMessage());
        assertThrows(NoSuchElementException.class, () -> fx.ledger().validate(999));
        assertEquals(List.of(e.id() + ":proposed->rejected"), fx.changes);
    }

    @Test
    void theStatusTableIsTheLifecycle() {
        assertEquals(EnumSet.of(EnhancementStatus.VALIDATING, EnhancementStatus.REJECTED),
                EnhancementStatus.PROPOSED.next());
        assertTrue(EnhancementStatus.APPLIED.canBecome(EnhancementStatus.ROLLED_BACK));
        assertTrue(!EnhancementStatus.VALIDATED.canBecome(EnhancementStatus.REJECTED));
        assertTrue(EnhancementStatus.REJECTED.isFinal() && EnhancementStatus.ROLLED_BACK.isFinal());
        assertEquals(EnhancementStatus.ROLLED_BACK, EnhancementStatus.parse("rolled-back"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EnhancementStatus.parse("done"));
        assertEquals("status must be one of proposed, validating, validated, rejected, applied, rolled_back; "
                + "was 'done'", bad.getMessage());
    }

    @Test
    void filtersByStatusAndWaveNewestFirst() throws Exception {
        Enhancement a = fx.submit(fx.handMade("a", DIFF));
        Map.Entry<Finding, Proposal> b = fx.handMade("b", DIFF);
        Enhancement other = fx.ledger().submit("wave-9", null, fx.repository, b.getKey(), b.getValue());
        fx.ledger().reject(a.id(), "conflict");
        assertEquals(List.of(other.id(), a.id()), fx.ledger().enhancements(null).stream().map(Enhancement::id)
                .toList());
        assertEquals(List.of(a.id()), fx.ledger().enhancements(EnhancementStatus.REJECTED).stream()
                .map(Enhancement::id).toList());
        assertEquals(List.of(other.id()), fx.ledger().enhancements(null, "wave-9").stream().map(Enhancement::id)
                .toList());
        assertEquals(List.of(), fx.ledger().enhancements(EnhancementStatus.REJECTED, "wave-9"));
    }

    @Test
    void statsCountPerAgentTypeAndRule() throws Exception {
        fx.submit(fx.handMade("a", DIFF));
        Enhancement rejected = fx.submit(fx.handMade("b", DIFF));
        fx.ledger().reject(rejected.id(), "conflict");
        List<EnhancementStats> stats = fx.ledger().stats();
        assertEquals(List.of(new EnhancementStats("quality", "UnnecessaryImport", 2, 0, 1, 0, 0, Duration.ZERO)),
                stats);
        assertEquals(0.0, stats.get(0).successRate());
    }
}
