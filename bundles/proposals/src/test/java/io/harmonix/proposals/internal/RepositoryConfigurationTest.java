package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the repository's own git configuration (its {@code .git/config}, which whoever owns the repository writes)
 * cannot do to a validation: run its filter programs on the runtime's side of the sandbox, lose the admin data of
 * the user's own worktrees, or make a rollback's diff unusable.
 */
class RepositoryConfigurationTest extends WithFixture {
    /** Validates the quality agent's removal of the unused import; @return the validated enhancement */
    private Enhancement validatedQualityFix() throws Exception {
        Map.Entry<Finding, Proposal> fix = Fixture.proposalOf(fx.qualityAgent(), fx.repo.root(), "UnnecessaryImport");
        Enhancement proposed = fx.submit(fix);
        fx.validate(proposed.id());
        return fx.status(proposed.id(), EnhancementStatus.VALIDATED);
    }

    @Test
    void theRepositorysFilterProgramsNeverRunInTheValidationsGitSteps() throws Exception {
        // a filter driver: what git-lfs or git-crypt configure, here a script that says each time it runs
        Path ran = dir.resolve("filter-ran");
        Path filter = dir.resolve("filter.sh");
        Files.writeString(filter, "#!/bin/sh\necho \"$1\" >> " + ran + "\ncat\n");
        assertTrue(filter.toFile().setExecutable(true));
        fx.repo.write(".gitattributes", "*.java filter=x\n").commit("attributes");
        // the proposal made first: the agent reads the working tree it is given, which is its own business
        Map.Entry<Finding, Proposal> fix = Fixture.proposalOf(fx.qualityAgent(), fx.repo.root(), "UnnecessaryImport");
        fx.repo.git("config", "filter.x.smudge", filter + " smudge");
        fx.repo.git("config", "filter.x.clean", filter + " clean");

        Enhancement e = fx.validate(fx.submit(fix).id());
        assertEquals(EnhancementStatus.VALIDATED, e.status(), e.reason());

        assertFalse(Files.exists(ran), () -> "the filter ran: " + read(ran));
        assertEquals(e.resultCommit(), fx.repo.git("rev-parse", e.branch()).strip());
        assertFalse(fx.repo.git("show", e.resultCommit() + ":src/shop/Basket.java").contains("java.util.Map"));
    }

    @Test
    void theUsersOwnWorktreesKeepTheirAdminDataWhenTheirFolderIsAway() throws Exception {
        Path elsewhere = dir.resolve("feature-tree");
        fx.repo.git("worktree", "add", "-q", "-b", "feature", elsewhere.toString());
        // the folder on a disk that is not mounted at the moment: git's own prune would forget the worktree
        Files.move(elsewhere, dir.resolve("unmounted"));

        validatedQualityFix();

        assertTrue(Files.isDirectory(fx.repo.root().resolve(".git/worktrees/feature-tree")),
                "the user's worktree is still registered");
        Files.move(dir.resolve("unmounted"), elsewhere);
        assertEquals("feature", fx.repo.git("-C", elsewhere.toString(), "rev-parse", "--abbrev-ref", "HEAD").strip(),
                "and usable once back");
    }

    @Test
    void aRollbackIsARevertWhateverTheRepositorysDiffAndColourSettings() throws Exception {
        Enhancement e = validatedQualityFix();
        fx.repo.git("merge", "--ff-only", "-q", e.branch());
        Enhancement applied = fx.ledger().markApplied(e.id(), fx.repo.head());
        fx.repo.git("config", "diff.noprefix", "true");
        fx.repo.git("config", "color.ui", "always");
        fx.repo.git("config", "diff.mnemonicPrefix", "true");

        Enhancement revert = fx.ledger().rollback(applied.id());
        assertTrue(revert.diff().startsWith("diff --git a/src/shop/Basket.java b/src/shop/Basket.java\n"),
                revert.diff());
        assertFalse(revert.diff().contains("\u001b["), "no colour codes");
        fx.engine.await(revert.workflowInstance(), java.time.Duration.ofMinutes(5));
        Enhancement validated = fx.status(revert.id(), EnhancementStatus.VALIDATED);
        assertTrue(fx.repo.git("show", validated.resultCommit() + ":src/shop/Basket.java")
                .contains("import java.util.Map;"), "the revert brings the import back");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
