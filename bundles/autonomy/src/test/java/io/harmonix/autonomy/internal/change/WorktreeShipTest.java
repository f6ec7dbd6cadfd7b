package io.harmonix.autonomy.internal.change;

import static io.harmonix.autonomy.internal.change.ChangeFixture.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.api.ShipOutcome;
import io.harmonix.fleet.api.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SHIP and the user's working trees: main is refs/heads/main whatever HEAD names, a main checked out in any worktree
 * is never moved (the refusal is the decision's reason and the request's note), and nothing runs in a working tree.
 */
class WorktreeShipTest extends OnChangeFixture {

    private ChangeRequest verified(String item) throws Exception {
        ChangeRequest c = f.changes.open(List.of(f.fix(item, "make app.txt fixed", Risk.LOW, null, f.fixDiff(""))),
                false, "run-1").get(0);
        return f.changes.verify(c.id(), "run-1");
    }

    @Test
    void aMainCheckedOutInTheWorkingTreeIsNeverMovedAndTheTreeIsUntouched() throws Exception {
        ChangeRequest v = verified("0000000000000101");
        git(f.repo, "checkout", "-q", "main");
        String before = f.main();
        ShipOutcome o = f.changes.ship(v.id(), ShipTest.ON, "run-1");

        assertFalse(o.shipped());
        String reason = "refs/heads/main is checked out in the working tree " + f.repo.toRealPath();
        assertTrue(o.decision().reasons().stream().anyMatch(r -> r.startsWith(reason)), o.decision().reasons()
                .toString());
        assertTrue(f.changes.note(v.id()).contains(reason), "change:show says why: " + f.changes.note(v.id()));
        assertEquals(ChangeState.REFUSED, o.change().state());
        assertEquals(before, f.main());
        assertEquals("", git(f.repo, "status", "--porcelain"), "index and files as they were");
        assertTrue(Files.readString(f.repo.resolve("app.txt")).contains("broken"));

        git(f.repo, "checkout", "-q", "--detach");
        assertTrue(f.changes.ship(v.id(), ShipTest.ON, "run-1").shipped(), "ships once main is not checked out");
    }

    @Test
    void aMainCheckedOutInALinkedWorktreeIsNeverMoved() throws Exception {
        ChangeRequest v = verified("0000000000000102");
        Path linked = root.resolve("linked");
        git(f.repo, "worktree", "add", "-q", linked.toString(), "main");
        String before = f.main();
        ShipOutcome o = f.changes.ship(v.id(), ShipTest.ON, "run-1");
        assertFalse(o.shipped());
        String reason = "checked out in the working tree " + linked.toRealPath();
        assertTrue(o.decision().reasons().stream().anyMatch(r -> r.contains(reason)), o.decision().reasons()
                .toString());
        assertEquals(before, f.main());
    }

    @Test
    void aFeatureBranchCheckedOutDoesNotMatterMainIsRefsHeadsMain() throws Exception {
        git(f.repo, "checkout", "-q", "-b", "feature");
        f.write("other.txt", "feature work\n");
        git(f.repo, "commit", "-q", "-am", "feature work");
        String feature = git(f.repo, "rev-parse", "refs/heads/feature");
        String before = f.main();

        ChangeRequest v = verified("0000000000000103");
        assertEquals(before, v.baseCommit(), "opened on main, not on the checked-out feature branch");
        assertEquals(before, git(f.repo, "rev-parse", v.verifiedCommit() + "^"), "verified on main");
        ShipOutcome o = f.changes.ship(v.id(), ShipTest.ON, "run-1");
        assertTrue(o.shipped(), o.decision().reasons().toString());
        assertEquals(v.verifiedCommit(), f.main());
        assertEquals(feature, git(f.repo, "rev-parse", "refs/heads/feature"), "the feature branch is not moved");
        assertEquals("feature work\n", Files.readString(f.repo.resolve("other.txt")));
        assertEquals("", git(f.repo, "status", "--porcelain"));
    }

    @Test
    void aRepositoryWithoutMainGetsNoRequestWhateverHeadNames() throws Exception {
        git(f.repo, "branch", "-q", "-m", "main", "trunk");
        List<ChangeRequest> made = f.changes.open(List.of(f.fix("0000000000000105", "fix", Risk.LOW, null,
                f.fixDiff(""))), false, "run-1");
        assertEquals(List.of(), made);
        assertTrue(f.log.stream().anyMatch(l -> l.contains("it has no branch refs/heads/main")), f.log.toString());
    }

    @Test
    void aBareRepositoryShips() throws Exception {
        Path bare = root.resolve("app.git");
        git(root, "clone", "-q", "--bare", f.repo.toString(), bare.toString());
        f.repositories.put("app", new Repository("app", bare.toString(), "make", "test -f app.txt",
                "grep -q fixed app.txt", List.of(), List.of(), "manifest", null));
        String before = git(bare, "rev-parse", "refs/heads/main");
        ChangeRequest v = verified("0000000000000104");
        ShipOutcome o = f.changes.ship(v.id(), ShipTest.ON, "run-1");
        assertTrue(o.shipped(), o.decision().reasons().toString());
        assertEquals(before, git(bare, "rev-parse", "refs/heads/main^"));
        assertEquals(v.verifiedCommit(), git(bare, "rev-parse", "refs/heads/main"));
    }
}
