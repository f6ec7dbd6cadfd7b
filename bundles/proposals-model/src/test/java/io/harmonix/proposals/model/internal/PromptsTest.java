package io.harmonix.proposals.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The questions and what is taken from the answers, over a real git repository. */
class PromptsTest {
    @TempDir
    Path dir;

    @Test
    void everyShippedTemplateFillsEveryPlaceholderForItsAgentType() throws Exception {
        GitRepo repo = GitRepo.init(dir.resolve("r")).write("a/B.java", "one\ntwo\nthree\n").commit("c");
        for (String type : List.of("quality", "security", "architecture", "performance", "workflow")) {
            Finding f = finding(type, 2);
            String q = Prompts.question(ModelProposerTest.SHIPPED_PROMPTS, f, repo.root(), repo.head(), 1);
            assertFalse(q.contains("{{"), type + ": " + q);
            assertTrue(q.contains("1| one\n2| two\n3| three\n") && q.contains("rule-" + type)
                    && q.contains(repo.head()), type + ": " + q);
        }
    }

    @Test
    void anUnknownPlaceholderIsRefusedWithTheTemplatesLineAndColumn() throws Exception {
        GitRepo repo = GitRepo.init(dir.resolve("r")).write("a/B.java", "one\n").commit("c");
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve("quality.md"), "Fix {{rule}}\nin {{file}} by {{owner}}\n");
        Refused r = assertThrows(Refused.class,
                () -> Prompts.question(prompts, finding("quality", 1), repo.root(), repo.head(), 0));
        assertTrue(r.getMessage().startsWith(prompts.resolve("quality.md") + ":2:16: unknown placeholder {{owner}}"),
                r.getMessage());
        Refused missing = assertThrows(Refused.class,
                () -> Prompts.question(prompts, finding("security", 1), repo.root(), repo.head(), 0));
        assertTrue(missing.getMessage().contains("no prompt template for agent type security"), missing.getMessage());
    }

    @Test
    void aBareDiffIsTakenAndARenameIsNot() throws Exception {
        String bare = "Sure.\n--- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-a\n+b\n```\n";
        assertEquals("--- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-a\n+b\n", Answers.diffOf(bare, "x.txt"));
        Refused rename = assertThrows(Refused.class, () -> Answers.diffOf("```diff\ndiff --git a/x.txt b/y.txt\n"
                + "rename from x.txt\nrename to y.txt\n--- a/x.txt\n+++ b/y.txt\n@@ -1 +1 @@\n-a\n+b\n```", "x.txt"));
        assertTrue(rename.getMessage().contains("'rename from'"), rename.getMessage());
        Refused noHunk = assertThrows(Refused.class, () -> Answers.diffOf("--- a/x.txt\n+++ b/x.txt\n", "x.txt"));
        assertTrue(noHunk.getMessage().contains("no hunk"), noHunk.getMessage());
    }

    private static Finding finding(String type, int line) {
        return Finding.of(type, "rule-" + type, Severity.LOW, Risk.LOW, "", Location.lines("a/B.java", line, line),
                "a message", "", "snippet");
    }
}
