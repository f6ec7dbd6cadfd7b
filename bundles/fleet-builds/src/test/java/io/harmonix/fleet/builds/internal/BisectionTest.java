package io.harmonix.fleet.builds.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Isolation;
import io.harmonix.fleet.api.RepositoryOutcome.BreakingCommit;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search of {@link Bisection} over a real repository's first-parent commits. The probe here reads the commit's
 * build script with git (whether it says {@code exit 1}); the sandboxed probes are exercised in FleetBuildsTest.
 */
class BisectionTest {
    @TempDir
    Path dir;

    @Test
    void namesTheFirstFailingCommitAmongEightWithFewProbes() throws Exception {
        GitRepos repos = new GitRepos(dir);
        Path repo = repos.create("lib", "echo ok", "echo ok");
        String green = repos.head(repo);
        List<String> commits = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            repos.commit(repo, i == 5 ? "break the build" : "change " + i, i >= 5 ? "echo broken; exit 1" : null,
                    null);
            commits.add(repos.head(repo));
        }
        List<String> probed = new ArrayList<>();
        BreakingCommit found = Bisection.locate(repo.toString(), green, commits.get(7), commit -> {
            probed.add(commit);
            boolean broken = repos.git(repo, "show", commit + ":build.sh").contains("exit 1");
            return record(probed.size(), commit, broken ? 1 : 0);
        });
        assertEquals(commits.get(4), found.commit());
        assertEquals("Test", found.author());
        assertEquals("break the build", found.subject());
        assertEquals(green, found.lastGreen());
        assertEquals(3, probed.size(), "log2(8) probes: " + probed); // the last commit is known bad already
        assertTrue(!probed.contains(commits.get(7)), "the failing HEAD is not probed again");
        assertEquals(probed.size(), found.checks().size());
    }

    @Test
    void aSingleCommitSinceGreenIsTheBreakingOneWithoutAProbe() throws Exception {
        GitRepos repos = new GitRepos(dir);
        Path repo = repos.create("lib", "echo ok", "echo ok");
        String green = repos.head(repo);
        repos.commit(repo, "oops", "exit 3", null);
        BreakingCommit found = Bisection.locate(repo.toString(), green, repos.head(repo), commit -> {
            throw new AssertionError("no probe needed");
        });
        assertEquals(repos.head(repo), found.commit());
        assertEquals("oops", found.subject());
    }

    @Test
    void refusesACommitNotAfterTheGreenOne() throws IOException {
        GitRepos repos = new GitRepos(dir);
        Path repo = repos.create("lib", "echo ok", "echo ok");
        String first = repos.head(repo);
        repos.commit(repo, "second", null, null);
        IOException e = assertThrows(IOException.class, () -> Bisection.locate(repo.toString(),
                repos.head(repo), first, commit -> record(1, commit, 0)));
        assertTrue(e.getMessage().contains("does not follow"), e.getMessage());
    }

    static CheckRecord record(long id, String commit, int exit) {
        return new CheckRecord(id, "lib", commit, Bisection.class.getSimpleName(), "sh build.sh", Instant.now(),
                Duration.ofMillis(5), exit, false, Isolation.SANDBOX, "", false, null);
    }
}
