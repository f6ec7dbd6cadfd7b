package io.harmonix.proposals.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.testing.TestLedger;
import io.harmonix.store.testing.DerbyFixture;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-backed proposals against a model on loopback that speaks the chat-completions protocol, into the REAL
 * enhancement ledger (Derby, the durable workflow engine with the shipped validation workflow, the sandboxed
 * executor) over a real git repository: a good diff is submitted and validated; every other answer is refused with
 * its reason and leaves no record; the key planted in the secret file shows nowhere but in the request's
 * Authorization header.
 */
class ModelProposerTest {
    /** Recognisable, so that any leak of it is found wherever it lands. */
    static final String KEY = "sk-PLANTED-5d1e9a77c3b04f2e";
    /** The prompt templates the distribution ships in etc/prompts. */
    static final Path SHIPPED_PROMPTS = Path.of("../../distribution/src/main/dist/etc/prompts");
    static final String GREETING = """
            package demo;

            public class Greeting {
                public String text() {
                    // FIXME say hello properly
                    return "hi";
                }
            }
            """;
    static final String GOOD_DIFF = """
            --- a/src/Greeting.java
            +++ b/src/Greeting.java
            @@ -3,5 +3,4 @@
             public class Greeting {
                 public String text() {
            -        // FIXME say hello properly
                     return "hi";
                 }
            """;

    @TempDir
    Path dir;
    GitRepo repo;
    String commit;
    Finding finding;
    Repository repository;
    DerbyFixture db;
    TestLedger ledger;
    LoopbackModel model;
    Path secret;
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        repo = GitRepo.init(dir.resolve("demo")).write("src/Greeting.java", GREETING)
                .write("README.md", "demo\n").commit("first");
        commit = repo.head();
        finding = FixmeAgent.analyse(repo.target()).findings().get(0);
        repository = new Repository("demo", repo.root().toString(), "java", "true", "test -f src/Greeting.java",
                List.of(), List.of(), "manifest", null);
        db = DerbyFixture.open(dir.resolve("db"));
        ledger = TestLedger.open(db.dataSource(), db.migrator(), TestSandbox.settings()
                .timeLimit(Duration.ofMinutes(1)).open(dir.resolve("sandbox"), db.dataSource(), db.migrator())
                .executor(), dir.resolve("scratch"));
        // the agent that confirms a fix in validation, as a running quality agent would
        ledger.agent(new FixmeAgent(repo.root()), "quality", "quality.main");
        model = new LoopbackModel();
        secret = Files.createDirectories(dir.resolve("home/etc")).resolve("model.json");
        Files.writeString(secret, "{\"apiKey\": \"" + KEY + "\"}");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void tearDown() {
        model.close();
        ledger.close();
        db.close();
    }

    private ModelSettings settings(Duration timeout, int budget) {
        return new ModelSettings(true, model.url(), "test-model", secret, SHIPPED_PROMPTS, timeout, budget, 6000, 3);
    }

    private List<ModelProposals.Outcome> propose(ModelSettings settings, List<Finding> findings) throws Exception {
        ModelProposer proposer = new ModelProposer(settings, ledger.ledger(), log::add);
        return proposer.propose(findings.stream()
                .map(f -> new ModelProposer.Request("w-00000001", repository, f, commit)).toList());
    }

    @Test
    void aGoodDiffIsSubmittedAsTheModelsProposalAndValidated() throws Exception {
        // an edit of the working tree that is nobody's proposal: the context is read at the commit, not from here
        repo.write("src/Greeting.java", GREETING.replace("return \"hi\";", "return \"WORKTREE-ONLY\";"));
        model.answer("Remove the stale marker:\n\n```diff\n" + GOOD_DIFF + "```\nThat is all.");

        List<ModelProposals.Outcome> outcomes = propose(settings(Duration.ofSeconds(20), 5), List.of(finding));

        assertEquals(1, outcomes.size());
        ModelProposals.Outcome o = outcomes.get(0);
        assertEquals("submitted", o.status(), o.reason());
        Enhancement e = ledger.awaitValidation(o.enhancementId(), Duration.ofMinutes(2));
        assertEquals(EnhancementStatus.VALIDATED, e.status(), e.reason() + " " + e.validation());
        assertEquals("model.quality", e.agentId());
        assertEquals("w-00000001", e.waveId());
        assertEquals(commit, e.baseCommit());
        assertEquals(GOOD_DIFF, e.diff());
        assertFalse(repo.git("show", e.branch() + ":src/Greeting.java").contains("FIXME"), "the fix is on its branch");

        assertEquals(1, model.received.size());
        LoopbackModel.Received r = model.received.get(0);
        assertEquals("POST", r.method());
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer " + KEY, r.authorization(), "the key goes in the Authorization header");
        assertEquals("test-model", r.body().path("model").asText());
        assertEquals("system", r.body().path("messages").path(0).path("role").asText());
        assertEquals("user", r.body().path("messages").path(1).path("role").asText());
        String question = r.body().path("messages").path(1).path("content").asText();
        assertTrue(question.contains("fixme") && question.contains("src/Greeting.java")
                && question.contains("a FIXME is left in the code"), question);
        assertTrue(question.contains("5|         // FIXME say hello properly"), "numbered context: " + question);
        assertTrue(question.contains("return \"hi\";"), "the committed line");
        assertFalse(question.contains("WORKTREE-ONLY"), "never the working tree's edit");
        assertFalse(question.contains("package demo"), "3 lines of context each side, no more: " + question);
        assertFalse(question.contains("README"), "nothing of another file");
        assertNoKeyLeaked(outcomes);
        assertFalse(r.body().toString().contains(KEY), "the key is not in the request's body");
    }

    @Test
    void anAnswerThatIsNotADiffOfTheFindingsFileIsRefusedWithItsReasonAndNothingIsRecorded() throws Exception {
        ModelSettings s = settings(Duration.ofSeconds(20), 5);
        model.answer("I would rename the class and add a test.");
        assertRefused(propose(s, List.of(finding)), "the answer holds no unified diff");

        model.answer("```diff\n" + GOOD_DIFF + "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-demo\n+Demo\n```");
        assertRefused(propose(s, List.of(finding)), "touches README.md, not only the finding's file "
                + "src/Greeting.java");

        model.answer("--- /dev/null\n+++ b/src/Other.java\n@@ -0,0 +1 @@\n+class Other {}\n");
        assertRefused(propose(s, List.of(finding)), "creates or deletes a file");

        assertEquals(3, model.received.size(), "each was asked");
        assertEquals(List.of(), ledger.ledger().enhancements(null), "no proposal was recorded");
    }

    @Test
    void anEndpointThatFailsRefusesTheKeyOrDoesNotAnswerInTimeGivesARefusalNamingIt() throws Exception {
        // an error body echoing the request's header, as some proxies do: the key must not travel on from there
        model.fail(500, "{\"error\": \"upstream failed for Authorization: Bearer " + KEY + "\"}");
        List<ModelProposals.Outcome> failed = propose(settings(Duration.ofSeconds(20), 5), List.of(finding));
        assertRefused(failed, "failed: HTTP 500: {\"error\": \"upstream failed for Authorization: Bearer ****\"}");

        model.fail(401, "{\"error\": \"invalid api key\"}");
        assertRefused(propose(settings(Duration.ofSeconds(20), 5), List.of(finding)),
                "refused the key (HTTP 401): check apiKey in the secret file");

        model.answer("```diff\n" + GOOD_DIFF + "```").delay(Duration.ofSeconds(3));
        assertRefused(propose(settings(Duration.ofMillis(500), 5), List.of(finding)), "within 500 ms (timeout)");

        assertEquals(List.of(), ledger.ledger().enhancements(null), "no proposal was recorded");
    }

    @Test
    void aSecretFileOthersCanReadIsRefusedBeforeAnythingIsSent() throws Exception {
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        assertRefused(propose(settings(Duration.ofSeconds(20), 5), List.of(finding)),
                "readable by other users (rw-r--r--); refused");
        Files.writeString(secret, "{\"apiKey\": \"" + KEY + "\",}");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        assertRefused(propose(settings(Duration.ofSeconds(20), 5), List.of(finding)),
                "model.json:1:");
        assertEquals(0, model.received.size());
    }

    @Test
    void findingsOverTheBudgetOfACycleAreSkippedAndSaidSo() throws Exception {
        repo.write("src/Other.java", "class Other {\n    // FIXME too\n}\n").commit("second");
        commit = repo.head();
        List<Finding> two = FixmeAgent.analyse(repo.target()).findings();
        assertEquals(2, two.size());
        model.answer("no diff today");

        List<ModelProposals.Outcome> outcomes = propose(settings(Duration.ofSeconds(20), 1), two);

        assertEquals(List.of("refused", "skipped"), outcomes.stream().map(ModelProposals.Outcome::status).toList());
        assertTrue(outcomes.get(1).reason().contains("over the budget of 1 findings per cycle"),
                outcomes.get(1).reason());
        assertEquals(1, model.received.size(), "one request: the budget");
    }

    @Test
    void offByDefaultNothingIsSent() throws Exception {
        // the configuration's own defaults, as DS gives them when no etc/io.harmonix.proposals.model.cfg exists
        ModelComponent.Config defaults = (ModelComponent.Config) Proxy.newProxyInstance(
                ModelComponent.Config.class.getClassLoader(), new Class<?>[] {ModelComponent.Config.class},
                (proxy, method, args) -> method.getDefaultValue());
        ModelSettings s = ModelSettings.of(defaults, dir.resolve("home"));
        assertFalse(s.enabled());
        assertNull(s.url());
        assertEquals(dir.resolve("home/etc/model.json"), s.secretFile());

        IllegalStateException off = assertThrows(IllegalStateException.class,
                () -> new ModelProposer(s, ledger.ledger(), log::add).propose(List.of(
                        new ModelProposer.Request(null, repository, finding, commit))));
        assertTrue(off.getMessage().contains("model-backed proposals are off: set enabled=true"), off.getMessage());
        assertEquals(0, model.received.size(), "nothing was sent");
        assertEquals(List.of(), ledger.ledger().enhancements(null));
    }

    @Test
    void theBundlesMaskerHidesTheKeyWhereverATextShowsIt() {
        ModelMasker masker = new ModelMasker(secret);
        assertEquals("curl -H 'Authorization: Bearer ****' ...",
                masker.mask("curl -H 'Authorization: Bearer " + KEY + "' ..."));
        assertEquals("nothing secret", masker.mask("nothing secret"));
    }

    private void assertRefused(List<ModelProposals.Outcome> outcomes, String reason) {
        assertEquals(1, outcomes.size());
        ModelProposals.Outcome o = outcomes.get(0);
        assertEquals("refused", o.status(), o.toString());
        assertTrue(o.reason().contains(reason), "expected '" + reason + "' in: " + o.reason());
        assertNull(o.enhancementId());
        assertNoKeyLeaked(outcomes);
    }

    private void assertNoKeyLeaked(List<ModelProposals.Outcome> outcomes) {
        assertFalse(outcomes.toString().contains(KEY), outcomes.toString());
        assertFalse(String.join("\n", log).contains(KEY), "the log: " + log);
        assertFalse(ledger.ledger().enhancements(null).toString().contains(KEY), "the ledger");
        assertTrue(log.size() >= outcomes.size(), "each outcome is logged: " + log);
    }
}
