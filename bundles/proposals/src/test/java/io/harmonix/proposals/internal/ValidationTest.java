package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.api.ValidationStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The enhancement-validation workflow on a real repository: a quality agent's fix validated and committed on its
 * branch with the main branch untouched; a diff that breaks a test, one that does not apply and one that does not fix
 * its finding rejected, each with the reason; a rollback validated.
 */
class ValidationTest extends WithFixture {
    private ValidationStep step(Enhancement e, String name) {
        return e.validation().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name + " in " + e.validation()));
    }

    private boolean hasBranch(String branch) throws Exception {
        return fx.repo.run(null, "show-ref", "--verify", "--quiet", "refs/heads/" + branch).exit() == 0;
    }

    /** Validates the quality agent's removal of the unused import; @return the validated enhancement */
    private Enhancement validatedQualityFix() throws Exception {
        Map.Entry<Finding, Proposal> fix = Fixture.proposalOf(fx.qualityAgent(), fx.repo.root(), "UnnecessaryImport");
        Enhancement proposed = fx.submit(fix);
        assertEquals(EnhancementStatus.PROPOSED, proposed.status());
        fx.validate(proposed.id());
        return fx.status(proposed.id(), EnhancementStatus.VALIDATED);
    }

    @Test
    void aQualityFixIsValidatedAndCommittedOnItsBranchWithTheMainBranchUntouched() throws Exception {
        String base = fx.repo.head();
        Enhancement e = validatedQualityFix();

        assertEquals(List.of("prepare", "build", "tests", "agent", "benchmark"),
                e.validation().stream().map(ValidationStep::name).toList());
        assertTrue(e.validation().stream().allMatch(ValidationStep::passed), e.validation()::toString);
        assertEquals("harmonix/enhance/" + e.id(), e.branch());
        assertEquals(e.resultCommit(), fx.repo.git("rev-parse", e.branch()).strip());
        assertEquals(base, fx.repo.git("rev-parse", e.resultCommit() + "^").strip(), "one commit on the base");
        String fixed = fx.repo.git("show", e.resultCommit() + ":src/shop/Basket.java");
        assertFalse(fixed.contains("import java.util.Map;"), fixed);
        assertTrue(fixed.contains("import java.util.List;"), fixed);
        assertTrue(fx.repo.git("log", "-1", "--format=%B", e.resultCommit()).contains("Harmonix-Enhancement: "
                + e.id()));

        assertEquals(base, fx.repo.head(), "main does not move");
        assertEquals("main", fx.repo.git("rev-parse", "--abbrev-ref", "HEAD").strip());
        assertEquals("", fx.repo.git("status", "--porcelain"), "the repository's working tree is untouched");
        assertEquals(Fixture.BASKET, fx.repo.read("src/shop/Basket.java"));

        // build and tests ran in the executor on the result commit, and the steps name their checks
        CheckRecord tests = fx.checks().stream().filter(r -> r.id() == step(e, "tests").checkId())
                .findFirst().orElseThrow();
        assertEquals(e.resultCommit(), tests.commit());
        assertTrue(tests.log().contains("ok BasketTest.sizeCountsItems"), tests.log());
        assertEquals(io.harmonix.fleet.api.Isolation.SANDBOX, tests.isolation());
        assertNotNull(step(e, "build").checkId());
        assertTrue(step(e, "agent").message().startsWith("the finding is gone;"), step(e, "agent").message());
        assertTrue(e.reason().startsWith("validated"), e.reason());
        assertNotNull(e.validatedAt());
        assertEquals(List.of(e.id() + ":proposed->validating", e.id() + ":validating->validated"), fx.changes);
        // where a validation's time goes (docs/performance.md quotes this line)
        System.out.println("validation of a quality fix, per step: " + String.join(", ", e.validation().stream()
                .map(s -> s.name() + " " + s.duration().toMillis() + " ms").toList()));
    }

    @Test
    void aDiffThatBreaksATestIsRejectedWithTheFailingTestNamedAndItsBranchDeleted() throws Exception {
        Enhancement e = fx.submit(fx.handMade("size", """
                --- a/src/shop/Basket.java
                +++ b/src/shop/Basket.java
                @@ -14,6 +14,6 @@ public class Basket {
                     }
                 
                     public int size() {
                -        return items.size();
                +        return items.size() + 1;
                     }
                 }
                """));
        fx.validate(e.id());
        Enhancement rejected = fx.status(e.id(), EnhancementStatus.REJECTED);

        ValidationStep tests = step(rejected, "tests");
        assertFalse(tests.passed());
        assertTrue(tests.message().contains("failing test: BasketTest.sizeCountsItems expected 2 but was 3"),
                tests.message());
        assertTrue(rejected.reason().contains("BasketTest.sizeCountsItems"), rejected.reason());
        assertNotNull(tests.checkId());
        assertTrue(step(rejected, "build").passed());
        assertTrue(rejected.validation().stream().noneMatch(s -> s.name().equals("agent")),
                "nothing runs after a failed step");
        assertNull(rejected.branch(), "a rejected branch is deleted");
        assertFalse(hasBranch("harmonix/enhance/" + e.id()));
        assertNotNull(rejected.resultCommit(), "the commit tested stays recorded");
    }

    @Test
    void aDiffThatDoesNotApplyIsRejectedWithGitsMessageAndNothingRuns() throws Exception {
        Enhancement e = fx.submit(fx.handMade("ghost", """
                --- a/src/shop/Basket.java
                +++ b/src/shop/Basket.java
                @@ -14,3 +14,3 @@
                     public int count() {
                -        return 0;
                +        return 1;
                     }
                """));
        fx.validate(e.id());
        Enhancement rejected = fx.status(e.id(), EnhancementStatus.REJECTED);
        ValidationStep prepare = step(rejected, "prepare");
        assertFalse(prepare.passed());
        assertTrue(prepare.message().contains("patch does not apply"), prepare.message());
        assertTrue(rejected.reason().startsWith("rejected: prepare: the diff does not apply on "), rejected.reason());
        assertEquals(1, rejected.validation().size());
        assertTrue(fx.checks().isEmpty(), "no command ran");
        assertFalse(hasBranch("harmonix/enhance/" + e.id()));
    }

    @Test
    void theAgentRunAgainRejectsAChangeThatLeavesItsFinding() throws Exception {
        Map.Entry<Finding, Proposal> real = Fixture.proposalOf(fx.qualityAgent(), fx.repo.root(), "UnnecessaryImport");
        // the finding's identity, but a diff that only adds a comment: builds, passes its tests, fixes nothing
        Proposal unrelated = new Proposal(real.getValue().fingerprint(), real.getValue().commit(), "comment only", """
                --- a/src/shop/Basket.java
                +++ b/src/shop/Basket.java
                @@ -7,3 +7,4 @@ import java.util.Map;
                 public class Basket {
                +    // the items, in the order added
                     private final List<String> items = new ArrayList<>();
                 
                """, "nothing");
        Enhancement e = fx.submit(Map.entry(real.getKey(), unrelated));
        fx.validate(e.id());
        Enhancement rejected = fx.status(e.id(), EnhancementStatus.REJECTED);
        assertTrue(step(rejected, "tests").passed());
        ValidationStep agent = step(rejected, "agent");
        assertFalse(agent.passed());
        assertTrue(agent.message().startsWith("the finding is still reported on the result (UnnecessaryImport"),
                agent.message());
    }

    @Test
    void theAgentRunAgainRejectsAFindingItNeverReportedOnTheBase() throws Exception {
        fx.qualityAgent();
        // a real fix of the unused import, but under a fingerprint the agent never reported: nothing confirms it
        Enhancement e = fx.submit(fx.handMade("invented", Fixture.REMOVE_MAP_IMPORT));
        fx.validate(e.id());
        Enhancement rejected = fx.status(e.id(), EnhancementStatus.REJECTED);
        assertTrue(step(rejected, "tests").passed());
        ValidationStep agent = step(rejected, "agent");
        assertFalse(agent.passed());
        assertTrue(agent.message().startsWith("the agent did not report the finding on the base commit (quality "
                + "UnnecessaryImport, "), agent.message());
    }

    @Test
    void theAgentRunAgainAnalysesEveryFolderTheDiffTouchesNotOnlyTheFindingsComponent() throws Exception {
        Map.Entry<Finding, Proposal> real = fx.unusedImportFix(fx.qualityAgent(), Fixture.REMOVE_MAP_IMPORT);
        // the finding said to be in component "src"; the diff fixes it there and adds an unused import under test/
        Finding inSrc = new Finding(real.getKey().fingerprint(), "quality", "UnnecessaryImport",
                real.getKey().severity(), real.getKey().risk(), "src", real.getKey().location(),
                real.getKey().message(), "");
        Proposal spill = new Proposal(inSrc.fingerprint(), fx.repo.head(), "fix and spill", Fixture.REMOVE_MAP_IMPORT
                + """
                --- a/test/shop/BasketTest.java
                +++ b/test/shop/BasketTest.java
                @@ -1,5 +1,7 @@
                 package shop;
                 
                +import java.util.Set;
                +
                 public class BasketTest {
                     public static void main(String[] args) {
                         Basket b = new Basket();
                """, "nothing");
        Enhancement e = fx.submit(Map.entry(inSrc, spill));
        fx.validate(e.id());
        Enhancement rejected = fx.status(e.id(), EnhancementStatus.REJECTED);
        assertTrue(step(rejected, "tests").passed(), step(rejected, "tests").message());
        ValidationStep agent = step(rejected, "agent");
        assertFalse(agent.passed());
        assertTrue(agent.message().contains("new finding(s) of severity") && agent.message()
                .contains("UnnecessaryImport at test/shop/BasketTest.java"), agent.message());
    }

    @Test
    void aRollbackOfAnAppliedEnhancementIsARevertValidatedLikeAnyProposal() throws Exception {
        Enhancement e = validatedQualityFix();
        // the autonomy controller's part, by hand: main fast-forwarded to the branch, the merge recorded
        fx.repo.git("merge", "--ff-only", "-q", e.branch());
        Enhancement applied = fx.ledger().markApplied(e.id(), fx.repo.head());
        assertEquals(EnhancementStatus.APPLIED, applied.status());
        assertEquals(e.resultCommit(), applied.commitToRevert());

        // the fleet locates the applied commit as the one that broke the repository: its rollback is proposed
        List<Enhancement> proposed = fx.ledger().repositoryBroken("shop", applied.appliedCommit());
        assertEquals(1, proposed.size());
        Enhancement revert = proposed.get(0);
        assertEquals(e.id(), revert.revertOf());
        assertEquals(revert.id(), fx.ledger().rollback(e.id()).id(), "asking again gives the same revert");
        assertEquals(List.of(), fx.ledger().repositoryBroken("shop", "0".repeat(40)), "another commit: none");

        fx.engine.await(revert.workflowInstance() == null ? fx.ledger().validate(revert.id())
                : revert.workflowInstance(), java.time.Duration.ofMinutes(5));
        Enhancement validated = fx.status(revert.id(), EnhancementStatus.VALIDATED);
        assertTrue(step(validated, "agent").message().startsWith("a rollback"), step(validated, "agent").message());
        assertTrue(fx.repo.git("show", validated.resultCommit() + ":src/shop/Basket.java")
                .contains("import java.util.Map;"), "the revert brings the import back");
        assertEquals(applied.appliedCommit(), fx.repo.git("rev-parse", validated.resultCommit() + "^").strip());

        assertEquals(applied.appliedCommit(), fx.repo.head(), "the revert waits on its branch, main untouched");
        // the change is still on main: the original stays applied until the revert is merged
        Enhancement waiting = fx.status(e.id(), EnhancementStatus.APPLIED);
        assertNull(waiting.rolledBackAt());
        assertEquals(revert.id(), waiting.revertedBy());

        // the autonomy controller merges the revert and records it: now the original is rolled back
        fx.repo.git("merge", "--ff-only", "-q", validated.branch());
        fx.ledger().markApplied(revert.id(), fx.repo.head());
        Enhancement original = fx.status(e.id(), EnhancementStatus.ROLLED_BACK);
        assertNotNull(original.rolledBackAt());
        assertTrue(original.reason().startsWith("rolled back by enhancement " + revert.id() + " (applied as "
                + fx.repo.head() + ")"), original.reason());
        assertTrue(fx.changes.contains(e.id() + ":applied->rolled_back"), fx.changes::toString);
    }

    @Test
    void aBenchmarkThatGetsSlowerThanItsToleranceRejects() throws Exception {
        fx.repo.write(".harmonix/benchmark", "# figures of the work script, lower is better\nsh bench.sh\n")
                .write("bench.sh", "echo warming up\necho \"BENCH work $(cat work.txt)\"\n")
                .write("work.txt", "100\n").commit("benchmark");
        io.harmonix.cycle.api.Agent agent = fx.qualityAgent();
        Enhancement e = fx.submit(fx.unusedImportFix(agent, Fixture.REMOVE_MAP_IMPORT + """
                --- a/work.txt
                +++ b/work.txt
                @@ -1 +1 @@
                -100
                +150
                """));
        fx.validate(e.id());
        Enhancement rejected = fx.status(e.id(), EnhancementStatus.REJECTED);
        ValidationStep bench = step(rejected, "benchmark");
        assertTrue(bench.message().startsWith("slower: work: 100 -> 150 (+50.0 %) (checks "), bench.message());
        assertTrue(step(rejected, "agent").passed());

        fx.repo.write("README.md", "a shop\n").commit("readme"); // another base: another enhancement of the finding
        Enhancement faster = fx.submit(fx.unusedImportFix(agent, Fixture.REMOVE_MAP_IMPORT + """
                --- a/work.txt
                +++ b/work.txt
                @@ -1 +1 @@
                -100
                +90
                """));
        fx.validate(faster.id());
        Enhancement validated = fx.status(faster.id(), EnhancementStatus.VALIDATED);
        assertTrue(step(validated, "benchmark").message().startsWith("no regression: work 100 -> 90 (checks "),
                step(validated, "benchmark").message());
    }

    @Test
    void aDiffWritingOutsideTheTreeOrIntoGitIsRejectedAndWritesNothing() throws Exception {
        for (String path : List.of("../outside.txt", ".git/hooks/post-commit")) {
            Enhancement e = fx.submit(fx.handMade(path, "--- /dev/null\n+++ b/" + path + "\n@@ -0,0 +1 @@\n+owned\n"));
            fx.validate(e.id());
            Enhancement rejected = fx.status(e.id(), EnhancementStatus.REJECTED);
            assertTrue(step(rejected, "prepare").message().endsWith("error: invalid path '" + path + "'"),
                    step(rejected, "prepare").message());
        }
        assertFalse(java.nio.file.Files.exists(fx.repo.root().getParent().resolve("outside.txt")));
        assertFalse(java.nio.file.Files.exists(fx.repo.root().resolve(".git/hooks/post-commit")));
        assertTrue(fx.checks().isEmpty(), "no command ran");
    }
}
