package io.harmonix.enhance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git run by {@link GitCommand} in a real repository: its answer, its input, its environment, its failures. */
class GitCommandTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void gitReadsItsInputAndTheAnswerHoldsItsOutputAsItIs() throws Exception {
        assertTrue(GitCommand.run(dir, null, Map.of(), LIMIT, "init", "-q").ok());
        GitCommand.Answer hash = GitCommand.run(dir, "x\n", Map.of(), LIMIT, "hash-object", "--stdin");
        assertEquals(new GitCommand.Answer(0, "587be6b4c3f93f93c489c0111bba5596147a26cb\n", ""), hash);
    }

    @Test
    void theEnvironmentGivenReachesGitAndConfigurationPairsComeFirst() throws Exception {
        GitCommand.run(dir, null, Map.of(), LIMIT, "init", "-q");
        Files.writeString(dir.resolve("a.txt"), "a\n");
        GitCommand.run(dir, null, Map.of(), LIMIT, "add", "a.txt");
        GitCommand.Answer commit = GitCommand.run(dir, null, Map.of("GIT_AUTHOR_DATE", "2020-01-02T03:04:05Z",
                "GIT_COMMITTER_DATE", "2020-01-02T03:04:05Z"), LIMIT, "-c", "user.name=T", "-c", "user.email=t@x",
                "-c", "commit.gpgsign=false", "commit", "-q", "-m", "first");
        assertTrue(commit.ok(), commit.message());
        assertEquals("T <t@x> 1577934245\n", GitCommand.run(dir, null, Map.of(), LIMIT, "log", "-1",
                "--format=%an <%ae> %ad", "--date=unix").out());
    }

    @Test
    void aFailureIsAnAnswerWithGitsMessageNotAnException() throws Exception {
        GitCommand.Answer a = GitCommand.run(dir, null, Map.of(), LIMIT, "rev-parse", "--verify", "HEAD");
        assertFalse(a.ok());
        assertTrue(a.exit() > 0);
        assertTrue(a.message().contains("not a git repository"), a.message());
    }

    @Test
    void aMessageOfGitsThatIsNotUtf8IsStillAnAnswer() throws Exception {
        GitCommand.run(dir, null, Map.of(), LIMIT, "init", "-q");
        // a patch naming a file in Latin-1 (as an old tool writes one): git's error repeats the name's bytes
        byte[] name = {(byte) 0xE9, '.', 't', 'x', 't'};
        java.io.ByteArrayOutputStream patch = new java.io.ByteArrayOutputStream();
        for (String part : new String[] {"diff --git a/", " b/", "\n--- a/", "\n+++ b/", "\n@@ -1 +1 @@\n-a\n+b\n"}) {
            patch.write(part.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (!part.startsWith("\n@@")) {
                patch.write(name);
            }
        }
        Path file = Files.write(dir.resolve("p.diff"), patch.toByteArray());
        GitCommand.Answer a = GitCommand.run(dir, null, Map.of(), LIMIT, "apply", file.toString());
        assertFalse(a.ok());
        assertTrue(a.message().contains("\uFFFD.txt: No such file or directory"), a.message());
    }

    @Test
    void theCommandNamedInMessagesIsTheFirstArgumentPastTheConfigurationPairs() {
        assertEquals("commit", GitCommand.name("-c", "user.name=T", "-c", "user.email=t@x", "commit", "-m", "x"));
        assertEquals("status", GitCommand.name("status"));
        assertEquals("", GitCommand.name());
    }
}
