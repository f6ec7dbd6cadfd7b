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
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What SHIP takes from the records: an approval holds for the SHA approved only, the daily cap counts ships under way,
 * a ship whose decision cannot be read back is not finished blindly, and only check records of the change's own
 * repository and verify label count.
 */
class ShipRecordsTest extends OnChangeFixture {

    private ChangeRequest verified(String item, Risk risk, String diff) throws Exception {
        ChangeRequest c = f.changes.open(List.of(new PlannedChange(item, "app", "fix", "change " + item, risk, null, 0,
                null, diff)), false, "run-1").get(0);
        return f.changes.verify(c.id(), "run-1");
    }

    @Test
    void anApprovalHoldsForTheShaApprovedOnly() throws Exception {
        ChangeRequest v = verified("0000000000000201", Risk.HIGH, f.fixDiff(""));
        ChangeRequest approved = f.changes.approve(v.id(), "alice", "read the diff of " + v.verifiedCommit());
        Decision approval = f.decisions.decision(approved.decisionIds().get(approved.decisionIds().size() - 1))
                .orElseThrow();
        assertEquals(v.verifiedCommit(), approval.inputs().get("approved_commit"), "the approval names the SHA");

        String moved = f.commitOnMain("other.txt", "a\nb\nc\nmoved\n", "someone else");
        ShipOutcome o = f.changes.ship(v.id(), ShipTest.ON, "run-1");
        assertFalse(o.shipped(), "re-verified on the new main, a candidate nobody approved");
        assertEquals(moved, f.main());
        ChangeRequest after = o.change();
        assertFalse(v.verifiedCommit().equals(after.verifiedCommit()));
        assertEquals(ChangeState.AWAITING_APPROVAL, after.state());
        assertEquals(null, after.approvedBy(), "the approval is cleared");
        assertTrue(f.log.stream().anyMatch(l -> l.contains("the approval by alice was for "
                + v.verifiedCommit().substring(0, 12))), f.log.toString());
        assertTrue(o.decision().reasons().stream().anyMatch(r -> r.contains("needs a person's approval")),
                o.decision().reasons().toString());

        f.changes.approve(v.id(), "bob", "read the new candidate");
        ShipOutcome shipped = f.changes.ship(v.id(), ShipTest.ON, "run-2");
        assertTrue(shipped.shipped(), shipped.decision().reasons().toString());
        assertEquals(after.verifiedCommit(), f.main());
    }

    @Test
    void theDailyCapCountsAShipACrashLeftBetweenTheRefUpdateAndTheFinish() throws Exception {
        Toggles one = new Toggles(true, true, 1, false, null, ShipTest.ZONE);
        // the second change does not touch app.txt, which the repository's test reads: build is the check here
        f.settings = new Parts.Settings(RequiredChecks.parse(new String[] {"app=build"}, null), Duration.ofSeconds(60));
        ChangeRequest first = verified("0000000000000202", Risk.LOW, f.fixDiff(""));
        ChangeRequest second = verified("0000000000000203", Risk.LOW, f.otherDiff());
        String before = f.main();
        f.crashAt("moved");
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> f.changes.ship(second.id(), one, "run-1"));
        assertEquals("simulated crash at moved", crash.getMessage());
        String shipped = f.main();
        assertEquals(second.verifiedCommit(), shipped);
        f.restart();

        assertEquals(1, f.changes.shippedOn(LocalDate.now(ShipTest.ZONE), ShipTest.ZONE), "the ship under way");
        ShipOutcome o = f.changes.ship(first.id(), one, "run-1");
        assertFalse(o.shipped());
        assertTrue(o.decision().reasons().stream().anyMatch(r -> r.startsWith("daily cap reached: 1 shipped today")),
                o.decision().reasons().toString());
        assertEquals(shipped, f.main());
        assertTrue(f.changes.ship(second.id(), one, "run-1").shipped(), "the interrupted ship is finished");
        assertEquals(1, f.changes.shippedOn(LocalDate.now(ShipTest.ZONE), ShipTest.ZONE));
        assertEquals(before, git(f.repo, "rev-parse", "main^"), "one change on main");
    }

    @Test
    void aShipWhoseDecisionCannotBeReadIsNotFinished() throws Exception {
        ChangeRequest v = verified("0000000000000204", Risk.LOW, f.fixDiff(""));
        f.crashAt("moved");
        assertThrows(IllegalStateException.class, () -> f.changes.ship(v.id(), ShipTest.ON, "run-1"));
        String shipped = f.main();
        String lost = "decisions-2000-01-01:999";
        new ChangeStore(f.dataSource()).update(v.id(), null, Map.of("PENDING_DECISION", lost));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.changes.ship(v.id(), ShipTest.ON, "run-1"));
        assertTrue(e.getMessage().contains(lost), e.getMessage());
        assertEquals(shipped, f.main());
        assertEquals(ChangeState.VERIFIED, f.changes.change(v.id()).orElseThrow().state(), "not finished blindly");
    }

    @Test
    void checkRecordsOfAnotherRepositoryOrAnotherLabelDoNotCount() throws Exception {
        ChangeRequest v = verified("0000000000000205", Risk.LOW, f.fixDiff(""));
        String sha = v.verifiedCommit();
        // a fork shares the SHAs: its passed record of the very commit
        Path fork = root.resolve("fork");
        git(root, "clone", "-q", "--no-checkout", f.repo.toString(), fork.toString());
        git(fork, "fetch", "-q", "origin", "refs/harmonix/candidates/" + v.id());
        CheckRecord forks = f.sandbox().executor().execute(new ExecutionRequest("fork", fork.toString(), sha,
                "verify:test", "true", Duration.ofSeconds(60), Map.of()));
        assertTrue(forks.passed(), forks.toString());
        CheckRecord build = f.sandbox().executor().execute(new ExecutionRequest("app", f.repo.toString(), sha,
                "build", "true", Duration.ofSeconds(60), Map.of()));
        assertTrue(build.passed(), build.toString());

        ChangeStore store = new ChangeStore(f.dataSource());
        store.replaceChecks(v.id(), List.of(new ChangeStore.Check("build", sha, build.id(), true, "exit 0"),
                new ChangeStore.Check("test", sha, forks.id(), true, "exit 0")));
        String before = f.main();
        ShipOutcome o = f.changes.ship(v.id(), ShipTest.ON, "run-1");
        assertFalse(o.shipped());
        String all = String.join("\n", o.decision().reasons());
        assertTrue(all.contains("required check 'test': no passed record #" + forks.id() + " of app 'verify:test'"),
                all);
        assertTrue(all.contains("required check 'build': no passed record #" + build.id() + " of app 'verify:build'"),
                all);
        assertEquals(before, f.main());
    }
}
