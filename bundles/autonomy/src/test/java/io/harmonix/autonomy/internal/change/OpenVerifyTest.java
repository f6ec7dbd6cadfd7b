package io.harmonix.autonomy.internal.change;

import static io.harmonix.autonomy.internal.change.ChangeFixture.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.PlannedChange;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Repository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ACT and VERIFY on a real repository, a real Derby and the fleet's real sandbox. */
class OpenVerifyTest extends OnChangeFixture {

    @Test
    void aFixIsOneBotCommitOnItsBranchAndTheUsersTreeIsUntouched() throws Exception {
        String main = f.main();
        String status = git(f.repo, "status", "--porcelain");
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000a1", "make app.txt fixed", Risk.LOW, null,
                f.fixDiff(""))), false, "run-1").get(0);

        assertEquals(ChangeState.OPEN, c.state());
        assertEquals("harmonix/00000000000000a1", c.branch());
        assertEquals(main, c.baseCommit());
        assertEquals(c.headCommit(), git(f.repo, "rev-parse", "refs/heads/harmonix/00000000000000a1"));
        assertEquals(main, git(f.repo, "rev-parse", c.headCommit() + "^"), "made on main");
        Map<String, Object> bot = f.decisions.policy("P-003").orElseThrow().parameters();
        String who = bot.get("name") + " <" + bot.get("email") + ">";
        assertEquals(who + "|" + who, git(f.repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>", c.headCommit()),
                "P-003: the bot of the policy's parameters");
        assertTrue(git(f.repo, "log", "-1", "--format=%B", c.headCommit()).contains("00000000000000a1"));
        assertEquals(main, f.main(), "main not moved by open");
        assertEquals(status, git(f.repo, "status", "--porcelain"), "the working tree and index are not touched");
        assertTrue(f.changes.diff(c.id()).contains("+fixed"));
    }

    @Test
    void greenChecksOnTheExactShaVerify() throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000a2", "fix", Risk.LOW, null, f.fixDiff(""))),
                false, "run-1").get(0);
        ChangeRequest v = f.changes.verify(c.id(), "run-1");

        assertEquals(ChangeState.VERIFIED, v.state());
        assertEquals(git(f.repo, "rev-parse", c.headCommit() + "^{tree}"), git(f.repo, "rev-parse",
                v.verifiedCommit() + "^{tree}"), "main did not move: the branch's own tree is checked");
        assertEquals(f.main(), git(f.repo, "rev-parse", v.verifiedCommit() + "^"), "on main");
        String trailer = f.decisions.trailer(f.decisions.decision(v.decisionIds().get(0)).orElseThrow());
        assertTrue(git(f.repo, "log", "-1", "--format=%B", v.verifiedCommit()).contains(trailer),
                "the candidate carries its decision's trailer before any check runs on it");
        assertEquals(v.verifiedCommit(), git(f.repo, "rev-parse", "refs/harmonix/candidates/" + c.id()));
        assertEquals(2, v.checkIds().size());
        for (long id : v.checkIds()) {
            CheckRecord r = f.sandbox().history().check(id).orElseThrow();
            assertEquals(v.verifiedCommit(), r.commit());
            assertTrue(r.passed());
        }
    }

    @Test
    void aFailingCheckFails() throws Exception {
        ChangeRequest c = f.changes.open(List.of(new PlannedChange("00000000000000a3", "app", "fix", "not a fix",
                Risk.LOW, null, 0, null, f.otherDiff())), false, "run-1").get(0);
        ChangeRequest v = f.changes.verify(c.id(), "run-1");

        assertEquals(ChangeState.FAILED, v.state());
        assertEquals(2, v.checkIds().size(), "both ran and are recorded");
        assertTrue(f.changes.stored(c.id()).orElseThrow().note().contains("test (exit 1)"));
    }

    @Test
    void aMissingCheckIsRed() throws Exception {
        f.repositories.put("app", new Repository("app", f.repo.toString(), "make", "true", null, List.of(),
                List.of(), "manifest", null));
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000a4", "fix", Risk.LOW, null, f.fixDiff(""))),
                false, "run-1").get(0);
        ChangeRequest v = f.changes.verify(c.id(), "run-1");

        assertEquals(ChangeState.FAILED, v.state());
        assertEquals(1, v.checkIds().size(), "only build ran: test has no command");
        ChangeStore.Check test = f.changes.stored(c.id()).orElseThrow().checks().stream()
                .filter(k -> k.name().equals("test")).findFirst().orElseThrow();
        assertFalse(test.green());
        assertTrue(test.detail().startsWith("missing"), test.detail());
    }

    @Test
    void aHangingCheckIsKilledAtItsLimitAndIsRed() throws Exception {
        f.settings = new Parts.Settings(RequiredChecks.parse(new String[] {"app=hang"},
                new String[] {"app:hang=sleep 600"}), Duration.ofSeconds(2));
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000a5", "fix", Risk.LOW, null, f.fixDiff(""))),
                false, "run-1").get(0);
        ChangeRequest v = f.changes.verify(c.id(), "run-1");

        assertEquals(ChangeState.FAILED, v.state());
        CheckRecord r = f.sandbox().history().check(v.checkIds().get(0)).orElseThrow();
        assertTrue(r.timedOut(), "killed at its limit");
        assertEquals(v.verifiedCommit(), r.commit());
    }

    @Test
    void itemsOfOneGroupMakeOneRequestAndAnItemWithAnOpenRequestGetsItBack() throws Exception {
        List<PlannedChange> planned = List.of(
                f.fix("00000000000000b1", "fix app", Risk.LOW, "mechanical", f.fixDiff("")),
                new PlannedChange("00000000000000b2", "app", "fix", "touch other", Risk.MEDIUM, "mechanical", 0,
                        null, f.otherDiff()),
                new PlannedChange("00000000000000b3", "app", "fix", "alone", Risk.LOW, null, 0, null,
                        f.otherDiff()));
        List<ChangeRequest> made = f.changes.open(planned, false, "run-1");

        assertEquals(2, made.size());
        ChangeRequest group = made.get(0);
        assertEquals(List.of("00000000000000b1", "00000000000000b2"), group.itemIds());
        assertEquals("harmonix/00000000000000b1", group.branch());
        assertEquals(Risk.MEDIUM, group.risk(), "the group's risk is its highest");
        String diff = f.changes.diff(group.id());
        assertTrue(diff.contains("+fixed") && diff.contains("+d"), diff);
        assertEquals(List.of("00000000000000b3"), made.get(1).itemIds());

        List<ChangeRequest> again = f.changes.open(List.of(planned.get(1)), false, "run-2");
        assertEquals(List.of(group.id()), again.stream().map(ChangeRequest::id).toList());
        assertEquals(2, f.changes.changes(null, "app").size());
    }

    @Test
    void aDraftStaysADraftWhenVerified() throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000c1", "fix", Risk.LOW, null, f.fixDiff(""))),
                true, "run-1").get(0);
        assertEquals(ChangeState.DRAFT, c.state());
        assertEquals(ChangeState.DRAFT, f.changes.verify(c.id(), "run-1").state());
    }

    @Test
    void aDraftOpenedAgainOutOfQuarantineIsTheSameRequestNoLongerADraft() throws Exception {
        PlannedChange fix = f.fix("00000000000000c2", "fix", Risk.LOW, null, f.fixDiff(""));
        ChangeRequest draft = f.changes.open(List.of(fix), true, "run-1").get(0);
        ChangeRequest again = f.changes.open(List.of(fix), true, "run-2").get(0);
        assertEquals(draft.id(), again.id());
        assertEquals(ChangeState.DRAFT, again.state(), "still quarantined: still a draft");
        ChangeRequest lifted = f.changes.open(List.of(fix), false, "run-3").get(0);
        assertEquals(draft.id(), lifted.id(), "the same request, not a second one");
        assertEquals(ChangeState.OPEN, lifted.state());
        assertEquals(draft.headCommit(), lifted.headCommit());
        assertEquals(ChangeState.VERIFIED, f.changes.verify(lifted.id(), "run-3").state());
    }

    @Test
    void aRevertUndoesItsCommitOnTopOfMain() throws Exception {
        String bad = f.commitOnMain("other.txt", "a\nb\nBAD\n", "break other");
        f.commitOnMain("app.txt", "line 1\nbroken\nline 3\nline 4\nline 5\nline 6\nline 7 later\n", "later");
        ChangeRequest c = f.changes.open(List.of(new PlannedChange("00000000000000d1", "app", "revert",
                "revert " + bad, Risk.LOW, null, 0, bad, null)), false, "run-1").get(0);
        assertEquals("a\nb\nc", git(f.repo, "show", c.headCommit() + ":other.txt"));
        assertTrue(git(f.repo, "show", c.headCommit() + ":app.txt").contains("line 7 later"));
    }

    @Test
    void whenMainMovedTheCandidateIsTheChangeOnTheNewMain() throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000e1", "fix", Risk.LOW, null, f.fixDiff(""))),
                false, "run-1").get(0);
        String moved = f.commitOnMain("other.txt", "a\nb\nc\nd\n", "someone else");
        ChangeRequest v = f.changes.verify(c.id(), "run-1");

        assertEquals(ChangeState.VERIFIED, v.state());
        assertNotEquals(c.headCommit(), v.verifiedCommit());
        assertEquals(moved, git(f.repo, "rev-parse", v.verifiedCommit() + "^"));
        assertTrue(git(f.repo, "show", v.verifiedCommit() + ":app.txt").contains("fixed"));
    }

    @Test
    void aChangeThatConflictsWithTheNewMainFailsWithoutChecks() throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000e2", "fix", Risk.LOW, null, f.fixDiff(""))),
                false, "run-1").get(0);
        f.commitOnMain("app.txt", "line 1\nbroken differently\nline 3\nline 4\nline 5\nline 6\nline 7\n", "clash");
        ChangeRequest v = f.changes.verify(c.id(), "run-1");

        assertEquals(ChangeState.FAILED, v.state());
        assertTrue(v.checkIds().isEmpty());
        assertTrue(f.changes.stored(c.id()).orElseThrow().note().contains("does not apply"));
    }

    @Test
    void aSecretInATitleNeverReachesTheCommitMessage() throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000f1", "rotate " + ChangeFixture.SECRET,
                Risk.LOW, null, f.fixDiff(""))), false, "run-1").get(0);
        String message = git(f.repo, "log", "-1", "--format=%B", c.headCommit());
        assertFalse(message.contains(ChangeFixture.SECRET), message);
        assertTrue(message.contains("ghp_****"));
        assertFalse(c.title().contains(ChangeFixture.SECRET));
    }
}
