package io.harmonix.agent.security.internal.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.agent.security.internal.Secrets;
import io.harmonix.enhance.api.testing.GitRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history scan on real git repositories: the file each secret was added to, whatever git does to its name. */
class HistoryScannerTest {
    @TempDir
    Path dir;

    @Test
    void aSecretIsFoundUnderItsFileNameWhenGitEndsTheHeaderWithATabOrQuotesTheName() throws Exception {
        GitRepo repo = GitRepo.init(dir);
        // a space: "+++ b/c d.txt<TAB>"; a tab, a quote, a backslash: "+++ \"b/t\\tab.txt\""; é: raw (quotePath off)
        List<String> names = List.of("c d.txt", "t\tab.txt", "q\"uote d.txt", "back\\slash.txt", "é.txt",
                "plain.txt");
        for (String name : names) {
            repo.write(name, "token = " + Secrets.GITHUB_TOKEN + "\n");
        }
        repo.commit("secrets");
        for (String name : names) {
            repo.delete(name);
        }
        repo.commit("remove them");

        HistoryScanner.Result r = new HistoryScanner(new SecretScanner(GitleaksRules.shipped(), Set.of()))
                .scan(repo.root(), List.of(), () -> false);

        Set<String> files = new TreeSet<>();
        r.matches().forEach(m -> files.add(m.file()));
        assertEquals(new TreeSet<>(names), files);
        assertTrue(r.matches().stream().allMatch(m -> m.match().line() == 1), r.matches().toString());
        assertEquals(0, r.timedOut());
    }

    @Test
    void aHunkTheRegexBudgetCutShortIsCounted() throws Exception {
        GitRepo repo = GitRepo.init(dir);
        repo.write("big.txt", "token = " + Secrets.GITHUB_TOKEN + "\n" + "filler words here\n".repeat(2_000));
        repo.commit("a big text");

        HistoryScanner.Result r = new HistoryScanner(new SecretScanner(GitleaksRules.shipped(), Set.of(), -1))
                .scan(repo.root(), List.of(), () -> false);

        assertEquals(1, r.timedOut(), "the one hunk, given no time, is cut short");
    }

    @Test
    void aQuotedNameIsUnquotedAsGitQuotesIt() {
        assertEquals("a\tb \"c\" \\ é\n.txt", HistoryScanner.newName("\"b/a\\tb \\\"c\\\" \\\\ \\303\\251\\n.txt\"\t"));
        assertEquals("c d.txt", HistoryScanner.newName("b/c d.txt\t"));
        assertEquals(null, HistoryScanner.newName("/dev/null"));
    }
}
