package io.harmonix.autonomy.internal.change;

import static io.harmonix.autonomy.internal.change.ChangeFixture.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one way a main branch moves: fast-forward, compare-and-swap; every other attempt leaves it where it was. */
class FastForwardTest extends OnChangeFixture {
    Git git;

    @BeforeEach
    void setUp() throws Exception {
        git = new Git(f.repo);
    }

    @Test
    void aDescendantMovesMainFromTheExpectedValue() throws Exception {
        String main = f.main();
        String next = child(main, "next");
        assertNull(Commits.fastForward(git, "refs/heads/main", next, main, "test"));
        assertEquals(next, f.main());
    }

    @Test
    void aNonDescendantIsRefusedAndMainStays() throws Exception {
        String main = f.main();
        String parent = git(f.repo, "rev-parse", "HEAD");
        String sideways = child(git(f.repo, "commit-tree", "-m", "root", main + "^{tree}"), "unrelated");
        String why = Commits.fastForward(git, "refs/heads/main", sideways, main, "test");
        assertTrue(why.contains("would not be a fast-forward"), why);
        assertEquals(parent, f.main());
    }

    @Test
    void aRewindIsRefused() throws Exception {
        String first = f.main();
        String second = f.commitOnMain("other.txt", "x\n", "second");
        String why = Commits.fastForward(git, "refs/heads/main", first, second, "test");
        assertTrue(why.contains("would not be a fast-forward"), why);
        assertEquals(second, f.main());
    }

    @Test
    void aStaleExpectedValueIsRefusedByTheCompareAndSwap() throws Exception {
        String old = f.main();
        String moved = f.commitOnMain("other.txt", "moved\n", "someone moved main");
        // a descendant of the old main that is not a descendant of the new one: the CAS alone stops it
        String next = child(old, "made on the old main");
        assertTrue(git.isAncestor(old, next));
        String why = Commits.fastForward(git, "refs/heads/main", next, old, "test");
        assertTrue(why.startsWith("refused by compare-and-swap"), why);
        assertEquals(moved, f.main());
        // and the CAS on its own, past the function's ancestry check, refuses the same
        String cas = Commits.compareAndSwap(git, "refs/heads/main", next, old, "test");
        assertTrue(cas != null && cas.contains("main"), cas);
        assertEquals(moved, f.main());
    }

    @Test
    void noExpectedValueNoMove() throws Exception {
        String main = f.main();
        String next = child(main, "next");
        assertTrue(Commits.fastForward(git, "refs/heads/main", next, null, "test").contains("never update-ref"));
        assertTrue(Commits.fastForward(git, "refs/heads/main", next, "", "test").contains("never update-ref"));
        assertEquals(main, f.main());
    }

    private String child(String parent, String message) throws Exception {
        return git(f.repo, "commit-tree", "-p", parent, "-m", message, parent + "^{tree}");
    }
}
