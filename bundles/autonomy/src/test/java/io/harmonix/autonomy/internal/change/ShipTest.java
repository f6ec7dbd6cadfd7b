package io.harmonix.autonomy.internal.change;

import static io.harmonix.autonomy.internal.change.ChangeFixture.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.PlannedChange;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.api.ShipOutcome;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.fleet.api.Repository;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SHIP on a real repository: the decision recorded before main moves, fast-forward by compare-and-swap only when
 * every condition holds, and nothing moved otherwise.
 */
class ShipTest extends OnChangeFixture {
    static final ZoneId ZONE = ZoneId.of("Pacific/Kiritimati");
    static final Toggles ON = new Toggles(true, true, 10, false, null, ZONE);


    ChangeRequest verified(String item, Risk risk) throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix(item, "make app.txt fixed", risk, null, f.fixDiff(""))),
                false, "run-1").get(0);
        return f.changes.verify(c.id(), "run-1");
    }

    @Test
    void aLowRiskFixShipsByFastForwardAfterGreenChecks() throws Exception {
        String before = f.main();
        ChangeRequest v = verified("00000000000000a1", Risk.LOW);
        ShipOutcome o = f.changes.ship(v.id(), ON, "run-1");

        assertTrue(o.shipped(), o.decision().reasons().toString());
        assertTrue(o.decision().allowed());
        assertEquals(List.of("every condition holds"), o.decision().reasons());
        assertEquals(before, o.mainBefore());
        assertEquals(f.main(), o.mainAfter());
        assertEquals(before, git(f.repo, "rev-parse", "main^"), "one commit on top of the old main");
        assertEquals(v.verifiedCommit(), f.main(), "exactly the commit the checks ran on");
        String message = git(f.repo, "log", "-1", "--format=%B", "main");
        Decision candidate = f.decisions.decision(v.decisionIds().get(0)).orElseThrow();
        assertEquals("candidate", candidate.decision());
        assertTrue(message.contains(f.decisions.trailer(candidate)), message);
        assertEquals(git(f.repo, "rev-parse", "main^{tree}"), candidate.inputs().get("tree"));
        assertEquals(candidate.id(), o.decision().inputs().get("candidate_decision"), "the ship names the candidate");
        Map<String, Object> bot = f.decisions.policy("P-003").orElseThrow().parameters();
        assertEquals(bot.get("name") + " <" + bot.get("email") + ">", git(f.repo, "log", "-1", "--format=%an <%ae>",
                "main"));
        assertEquals(f.main(), git(f.repo, "rev-parse", "refs/harmonix/candidates/" + v.id()));
        assertEquals(ChangeState.SHIPPED, o.change().state());
        Decision held = f.decisions.decision(o.decision().id()).orElseThrow();
        assertEquals(List.of("allowed", o.decision().reasons(), v.verifiedCommit()), List.of(held.outcome(),
                held.reasons(), held.inputs().get("verified_commit")), "durable in the log");
        assertEquals(1, f.changes.shippedOn(LocalDate.now(ZONE), ZONE));
        for (String checkId : List.of(String.valueOf(v.checkIds().get(0)), String.valueOf(v.checkIds().get(1)))) {
            assertEquals(f.main(), f.sandbox().history().check(Long.parseLong(checkId)).orElseThrow().commit(),
                    "each check record names main's new commit");
        }
        assertEquals(before, git(f.repo, "rev-parse", "HEAD"), "the working tree is not touched");
        assertTrue(java.nio.file.Files.readString(f.repo.resolve("app.txt")).contains("broken"));

        ShipOutcome again = f.changes.ship(v.id(), ON, "run-2");
        assertFalse(again.shipped(), "shipped once");
        assertEquals(f.main(), again.mainAfter());
    }

    @Test
    void failingMissingAndHangingChecksNeverShip() throws Exception {
        String before = f.main();
        ChangeRequest failing = f.changes.verify(f.changes.open(List.of(new PlannedChange("00000000000000b1", "app",
                "fix", "not a fix", Risk.LOW, null, 0, null, f.fixDiff("").replace("+fixed", "+still broken"))),
                false, "run-1").get(0).id(), "run-1");
        assertRefused(failing, "required check 'test' is red");

        f.repositories.put("app", new Repository("app", f.repo.toString(), "make", "true", null, List.of(),
                List.of(), "manifest", null));
        ChangeRequest missing = verified("00000000000000b2", Risk.LOW);
        assertRefused(missing, "required check 'test' is red", "missing");

        f.settings = new Parts.Settings(RequiredChecks.parse(new String[] {"app=build,hang"},
                new String[] {"app:hang=sleep 600"}), Duration.ofSeconds(2));
        ChangeRequest hanging = verified("00000000000000b3", Risk.LOW);
        assertRefused(hanging, "required check 'hang' is red", "timed out");
        assertEquals(before, f.main());
    }

    @Test
    void aDraftNeverShips() throws Exception {
        String before = f.main();
        ChangeRequest d = f.changes.open(List.of(f.fix("00000000000000c1", "fix", Risk.LOW, null, f.fixDiff(""))),
                true, "run-1").get(0);
        d = f.changes.verify(d.id(), "run-1");
        ShipOutcome o = f.changes.ship(d.id(), ON, "run-1");
        assertFalse(o.shipped());
        assertTrue(o.decision().reasons().contains("a draft never ships (opened in quarantine mode)"));
        assertEquals(ChangeState.DRAFT, o.change().state());
        assertEquals(before, f.main());
    }

    @Test
    void eachToggleStopsAShip() throws Exception {
        ChangeRequest v = verified("00000000000000c2", Risk.LOW);
        String before = f.main();
        for (Toggles t : List.of(new Toggles(false, true, 10, false, null, ZONE),
                new Toggles(true, false, 10, false, null, ZONE), new Toggles(true, true, 10, true, "by hand", ZONE))) {
            ShipOutcome o = f.changes.ship(v.id(), t, "run-1");
            assertFalse(o.shipped());
            assertEquals(1, o.decision().reasons().size(), o.decision().reasons().toString());
            assertEquals(before, f.main());
        }
        assertTrue(f.changes.ship(v.id(), ON, "run-1").shipped(), "a refused change ships once allowed");
    }

    @Test
    void theDailyCapCountsTodaysShipsInTheTogglesZone() throws Exception {
        Toggles one = new Toggles(true, true, 1, false, null, ZONE);
        ChangeRequest first = verified("00000000000000d1", Risk.LOW);
        assertTrue(f.changes.ship(first.id(), one, "run-1").shipped());
        ChangeRequest second = f.changes.verify(f.changes.open(List.of(new PlannedChange("00000000000000d2", "app",
                "fix", "other", Risk.LOW, null, 0, null, f.otherDiff())), false, "run-1").get(0).id(), "run-1");
        String before = f.main();
        ShipOutcome o = f.changes.ship(second.id(), one, "run-1");
        assertFalse(o.shipped());
        assertTrue(o.decision().reasons().get(0).startsWith("daily cap reached: 1 shipped today (" + ZONE + ")"),
                o.decision().reasons().toString());
        assertEquals(before, f.main());
        assertEquals(0, f.changes.shippedOn(LocalDate.now(ZONE).minusDays(1), ZONE));
    }

    @Test
    void mainMovingDuringVerifyIsVerifiedAgainOncePerRun() throws Exception {
        ChangeRequest v = verified("00000000000000e1", Risk.LOW);
        String moved = f.commitOnMain("other.txt", "a\nb\nc\nmoved\n", "someone else");
        ShipOutcome capped = f.changes.ship(v.id(), new Toggles(true, true, 0, false, null, ZONE), "run-1");
        assertFalse(capped.shipped());
        ChangeRequest reverified = capped.change();
        assertEquals(moved, git(f.repo, "rev-parse", reverified.verifiedCommit() + "^"), "checked on the new main");
        String movedAgain = f.commitOnMain("other.txt", "a\nb\nc\nmoved twice\n", "someone else again");
        ShipOutcome sameRun = f.changes.ship(v.id(), ON, "run-1");
        assertFalse(sameRun.shipped());
        assertTrue(sameRun.decision().reasons().stream().anyMatch(r -> r.contains("re-verified once in run run-1")),
                sameRun.decision().reasons().toString());
        assertEquals(movedAgain, f.main());

        ShipOutcome nextRun = f.changes.ship(v.id(), ON, "run-2");
        assertTrue(nextRun.shipped(), nextRun.decision().reasons().toString());
        assertEquals(movedAgain, git(f.repo, "rev-parse", "main^"));
    }

    @Test
    void mainMovingIntoAConflictIsRefused() throws Exception {
        ChangeRequest v = verified("00000000000000e2", Risk.LOW);
        String moved = f.commitOnMain("app.txt", "line 1\nbroken here\nline 3\nline 4\nline 5\nline 6\nline 7\n",
                "clash");
        ShipOutcome o = f.changes.ship(v.id(), ON, "run-1");
        assertFalse(o.shipped());
        assertEquals(ChangeState.FAILED, o.change().state());
        assertTrue(o.decision().reasons().stream().anyMatch(r -> r.contains("does not apply on main")),
                o.decision().reasons().toString());
        assertEquals(moved, f.main());
    }

    @Test
    void highRiskWaitsForAPersonThenShipsUnderTheSameChecks() throws Exception {
        ChangeRequest v = verified("00000000000000f1", Risk.HIGH);
        assertEquals(ChangeState.AWAITING_APPROVAL, v.state());
        String before = f.main();
        ShipOutcome waiting = f.changes.ship(v.id(), ON, "run-1");
        assertFalse(waiting.shipped());
        assertTrue(waiting.decision().reasons().contains("risk high needs a person's approval (change:approve "
                + v.id() + ")"));
        assertEquals(ChangeState.AWAITING_APPROVAL, waiting.change().state());
        assertEquals(before, f.main());

        ChangeRequest approved = f.changes.approve(v.id(), "alice", "read the diff");
        assertEquals("alice", approved.approvedBy());
        Decision d = f.decisions.decision(approved.decisionIds().get(approved.decisionIds().size() - 1))
                .orElseThrow();
        assertEquals("approve", d.decision());
        assertThrows(IllegalStateException.class, () -> f.changes.approve(v.id(), "bob", "again"));
        assertTrue(f.changes.ship(v.id(), new Toggles(true, false, 10, false, null, ZONE), "run-1").decision()
                .reasons().contains("automerge is disabled (automergeEnabled=false)"), "the same checks apply");
        assertTrue(f.changes.ship(v.id(), ON, "run-1").shipped());
    }

    @Test
    void aNonDescendantIsRefusedByTheFunctionAndByTheCompareAndSwap() throws Exception {
        ChangeRequest v = verified("00000000000000f2", Risk.LOW);
        String before = f.main();
        String sideways = git(f.repo, "commit-tree", "-m", "history rewritten", v.verifiedCommit() + "^{tree}");
        new ChangeStore(f.dataSource()).update(v.id(), null, Map.of("VERIFIED_COMMIT", sideways));
        ShipOutcome o = f.changes.ship(v.id(), ON, "run-1");
        assertFalse(o.shipped());
        assertTrue(o.decision().reasons().stream().anyMatch(r -> r.startsWith("not a fast-forward")),
                o.decision().reasons().toString());
        assertEquals(before, f.main());
        String why = Commits.fastForward(new Git(f.repo), "refs/heads/main", sideways, before, "test");
        assertTrue(why.contains("would not be a fast-forward"), why);
        assertEquals(before, f.main());
    }

    @Test
    void aCrashAfterTheRefMovedFinishesTheShipUnderItsDecision() throws Exception {
        ChangeRequest v = verified("00000000000000a8", Risk.LOW);
        f.crashAt("moved");
        assertThrows(IllegalStateException.class, () -> f.changes.ship(v.id(), ON, "run-1"));
        String shipped = f.main();
        List<String> decided = f.changes.change(v.id()).orElseThrow().decisionIds();

        f.restart();
        ShipOutcome o = f.changes.ship(v.id(), ON, "run-1");
        assertTrue(o.shipped());
        assertEquals(shipped, f.main(), "not moved again");
        assertEquals(decided, o.change().decisionIds(), "no second decision");
        assertEquals(decided.get(decided.size() - 1), o.decision().id());
        assertEquals(ChangeState.SHIPPED, o.change().state());
        assertEquals(1, f.changes.shippedOn(LocalDate.now(ZONE), ZONE));
    }

    @Test
    void aSecretInATitleOrADiffIsInNoCommitMessageAndNoDecision() throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000a7", "fix " + ChangeFixture.SECRET, Risk.LOW,
                null, f.fixDiff(" token=" + ChangeFixture.SECRET))), false, "run-1").get(0);
        c = f.changes.verify(c.id(), "run-1");
        ShipOutcome o = f.changes.ship(c.id(), ON, "run-1");
        assertTrue(o.shipped(), o.decision().reasons().toString());
        String messages = git(f.repo, "log", "--format=%B", "--all");
        assertFalse(messages.contains(ChangeFixture.SECRET), messages);
        for (String id : o.change().decisionIds()) {
            assertFalse(f.decisions.decision(id).orElseThrow().toString().contains(ChangeFixture.SECRET));
        }
        assertFalse(f.log.toString().contains(ChangeFixture.SECRET));
    }

    private void assertRefused(ChangeRequest c, String... reasons) throws Exception {
        String before = f.main();
        ShipOutcome o = f.changes.ship(c.id(), ON, "run-1");
        assertFalse(o.shipped());
        assertEquals("refused", o.decision().outcome());
        String all = String.join("\n", o.decision().reasons());
        for (String r : reasons) {
            assertTrue(all.contains(r), all);
        }
        assertEquals(before, f.main());
    }
}
