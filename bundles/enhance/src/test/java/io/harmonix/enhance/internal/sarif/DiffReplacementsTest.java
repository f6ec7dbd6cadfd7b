package io.harmonix.enhance.internal.sarif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.internal.FindingRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proposal's diff as a SARIF fix: for each shape of change, the fix applied by the SARIF rules gives the same
 * text as {@code git apply} of the diff.
 */
class DiffReplacementsTest {
    private static final String ORIGINAL = "one\ntwo\nthree\nfour\nfive\nsix\n";

    @TempDir
    Path dir;

    @Test
    void aDeletedLineIsARegionFromItsStartToTheStartOfTheNextLine() throws Exception {
        String diff = "--- a/f.txt\n+++ b/f.txt\n@@ -2,3 +2,2 @@\n two\n-three\n four\n";
        List<DiffReplacements.FileChange> files = DiffReplacements.parse(diff);
        assertEquals(List.of(new DiffReplacements.FileChange("f.txt",
                List.of(new DiffReplacements.Replacement(3, 1, true, "")))), files);
        assertSameAsGitApply(ORIGINAL, diff);
    }

    @Test
    void replacedAndInsertedLinesKeepContextOutOfTheReplacements() throws Exception {
        String diff = "--- a/f.txt\n+++ b/f.txt\n@@ -1,6 +1,7 @@\n one\n-two\n+TWO\n+two and a half\n three\n"
                + " four\n+four and a half\n five\n-six\n";
        assertEquals(List.of(new DiffReplacements.Replacement(2, 1, true, "TWO\ntwo and a half\n"),
                new DiffReplacements.Replacement(5, 0, true, "four and a half\n"),
                new DiffReplacements.Replacement(6, 1, true, "")),
                DiffReplacements.parse(diff).get(0).replacements());
        assertSameAsGitApply(ORIGINAL, diff);
    }

    @Test
    void linesAppendedAtTheEndAndAtTheStart() throws Exception {
        assertSameAsGitApply(ORIGINAL, "--- a/f.txt\n+++ b/f.txt\n@@ -6,0 +7,1 @@\n+seven\n");
        assertSameAsGitApply(ORIGINAL, "--- a/f.txt\n+++ b/f.txt\n@@ -0,0 +1,1 @@\n+zero\n");
    }

    @Test
    void aLastLineWithoutALineBreak() throws Exception {
        String original = "one\ntwo";
        assertSameAsGitApply(original, "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1 @@\n one\n-two\n"
                + "\\ No newline at end of file\n");
        assertSameAsGitApply(original, "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n one\n-two\n"
                + "\\ No newline at end of file\n+TWO\n\\ No newline at end of file\n");
    }

    @Test
    void aMalformedDiffIsRefusedNamingItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiffReplacements.parse(
                "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,2 @@\n one\n-two\n"));
        assertTrue(e.getMessage().contains("the hunk at line 3 ends before the lines its header counts"),
                e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> DiffReplacements.parse(
                "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n one\n*two\n"));
        assertTrue(bad.getMessage().startsWith("diff line 5: expected ' ', '-', '+' or '\\'"), bad.getMessage());
    }

    /** The fix SarifWriter makes of {@code diff}, applied to {@code original}, equals git apply's result. */
    private void assertSameAsGitApply(String original, String diff) throws Exception {
        Path work = Files.createTempDirectory(dir, "apply");
        Files.writeString(work.resolve("f.txt"), original);
        Files.writeString(work.resolve("fix.diff"), diff);
        Process git = new ProcessBuilder("git", "apply", "--unidiff-zero", "fix.diff").directory(work.toFile())
                .redirectErrorStream(true).start();
        String said = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0, "git apply: " + said);
        String expected = Files.readString(work.resolve("f.txt"));

        Finding f = Finding.of("todo", "todo", Severity.LOW, Risk.LOW, "", Location.lines("f.txt", 1, 1), "m", "",
                "x");
        CycleFindings cycle = new CycleFindings("todo", work.toString(), "0".repeat(40), List.of(), List.of(),
                List.of(), List.of(new Proposal(f.fingerprint(), "0".repeat(40), "fix", diff, "")), 1, 1, false,
                Map.of());
        JsonNode log = SarifWriter.log(List.of(new SarifWriter.AgentRun("todo", "todo", "1.0.0", List.of(), "r", 1,
                cycle, List.of(new FindingRow("todo", f, FindingStatus.NEW)))));
        JsonNode change = log.at("/runs/0/results/0/fixes/0/artifactChanges/0");
        assertEquals("f.txt", change.at("/artifactLocation/uri").asText());
        assertEquals(expected, SarifFixes.apply(original, change), "SARIF fix of\n" + diff + "\nas " + change);
    }
}
