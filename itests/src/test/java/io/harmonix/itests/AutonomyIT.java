package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autonomy controller end to end on the packaged runtime: a fleet of three repositories with seeded problems (a
 * failing test whose fix the repository's tasks file carries, a planted secret, a vulnerable dependency), one
 * {@code autonomy:run} from SENSE to LEARN. Exactly what the policies allow ships (the low-risk fix, after green
 * checks on its SHA, by fast-forward); the secret (high risk) and the dependency (no known change) stay in the
 * backlog; the ledger validates; the run document is written; the secret is nowhere in the ledger, the run
 * document, the commit messages or the log.
 */
class AutonomyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A GitHub token as gitleaks' rule knows it, planted in the vault repository. */
    static final String SECRET = "ghp_" + "R7tQ2mZx9LpW4vNc8KjB3sHd6FyG1aUe5XoI";

    @TempDir
    Path dir;

    @Test
    void oneRunShipsTheLowRiskFixAndLeavesWhatThePoliciesHoldBack() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path repos = Files.createDirectories(dir.resolve("repos"));
        Path shop = repository(repos, "shop", List.of(
                "app.txt", "status: broken\n",
                "build.sh", "#!/bin/sh\nset -e\ntest -f app.txt\n",
                "test.sh", "#!/bin/sh\nset -e\ngrep -q fixed app.txt || { echo 'FAIL: AppTest.status expected fixed'; "
                        + "exit 1; }\n",
                ".harmonix/fixes/status.diff", "--- a/app.txt\n+++ b/app.txt\n@@ -1 +1 @@\n-status: broken\n"
                        + "+status: fixed\n",
                ".harmonix/tasks.json", "{\"tasks\": [{\"title\": \"Make AppTest pass\", \"type\": \"bug\", "
                        + "\"risk\": \"low\", \"patch\": \".harmonix/fixes/status.diff\"}]}\n"));
        Path vault = repository(repos, "vault", List.of(
                "config.properties", "github.token=" + SECRET + "\n",
                "build.sh", "#!/bin/sh\ntrue\n", "test.sh", "#!/bin/sh\ntrue\n"));
        Path web = repository(repos, "web", List.of(
                "pom.xml", """
                        <project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>web</artifactId>
                          <version>1</version><dependencies><dependency><groupId>org.apache.logging.log4j</groupId>
                          <artifactId>log4j-core</artifactId><version>2.14.1</version></dependency></dependencies>
                        </project>
                        """,
                "build.sh", "#!/bin/sh\ntrue\n", "test.sh", "#!/bin/sh\ntrue\n"));
        StringBuilder manifest = new StringBuilder("{\"repositories\": [\n");
        for (Path r : List.of(shop, vault, web)) {
            manifest.append(manifest.length() > 20 ? ",\n" : "").append("  {\"name\": \"")
                    .append(r.getFileName()).append("\", \"path\": \"").append(r).append("\", \"language\": \"shell\", ")
                    .append("\"build_command\": \"sh build.sh\", \"test_command\": \"sh test.sh\"}");
        }
        Files.writeString(runtime.home.resolve("etc/repositories.json"), manifest.append("\n]}\n"));
        lowRiskTasks(runtime);
        String shopBefore = git(shop, "rev-parse", "HEAD").strip();
        String vaultBefore = git(vault, "rev-parse", "HEAD").strip();
        String webBefore = git(web, "rev-parse", "HEAD").strip();

        PackagedRuntime.Result run = runtime.exec("enhance:advisories import examples/advisories; repo:discover; "
                + "autonomy:run --json");
        assertEquals(0, run.exit(), run.toString());
        JsonNode summary = lastJson(run.out());
        assertEquals("completed", summary.path("state").asText(), summary.toString());
        assertEquals("LEARN", summary.path("phase").asText());
        for (String phase : List.of("SENSE", "THINK", "ACT", "VERIFY", "SHIP", "LEARN")) {
            assertTrue(run.out().contains("\"phase\":\"" + phase + "\""), phase + " printed: " + run.out());
        }
        assertEquals(1, summary.path("shipped").asInt(), summary.toString());
        long ms = java.time.Duration.between(java.time.Instant.parse(summary.path("startedAt").asText()),
                java.time.Instant.parse(summary.path("endedAt").asText())).toMillis();
        int itemCount = summary.path("itemsUpserted").asInt();
        // the figure docs/performance.md quotes: one controller run over this fleet (scans, checks, one ship)
        System.out.println("AutonomyIT: one controller run over 3 repositories, " + itemCount + " items: " + ms
                + " ms; " + ms / 3 + " ms per repository, " + (itemCount == 0 ? 0 : ms / itemCount) + " ms per item");

        // exactly the low-risk fix shipped, by fast-forward: main's old commit is the new one's parent
        String shopAfter = git(shop, "rev-parse", "refs/heads/main").strip();
        assertFalse(shopAfter.equals(shopBefore), "shop's main moved");
        assertEquals(shopBefore, git(shop, "rev-parse", shopAfter + "^").strip(), "a fast-forward of one commit");
        assertEquals("status: fixed\n", git(shop, "show", shopAfter + ":app.txt"));
        assertEquals("status: broken\n", Files.readString(shop.resolve("app.txt")), "the working tree untouched");
        String message = git(shop, "log", "-1", "--format=%an <%ae>%n%B", shopAfter);
        assertTrue(message.contains("TAP-DECISION:"), message);
        assertEquals(vaultBefore, git(vault, "rev-parse", "refs/heads/main").strip(), "nothing ships for the secret");
        assertEquals(webBefore, git(web, "rev-parse", "refs/heads/main").strip(), "no known change for log4j");

        PackagedRuntime.Result ledger = runtime.exec("ledger:validate; ledger:list --json");
        assertEquals(0, ledger.exit(), ledger.toString());
        JsonNode items = lastJson(ledger.out());
        List<String> shopStatus = new ArrayList<>();
        boolean secretItem = false;
        boolean dependencyItem = false;
        for (JsonNode i : items) {
            if (i.path("repo").asText().equals("shop") && i.path("type").asText().equals("bug")) {
                shopStatus.add(i.path("status").asText());
                assertEquals(shopAfter, i.path("commit_sha").asText(), i.toString());
                assertFalse(i.path("policy_decision_ref").isNull(), i.toString());
            }
            secretItem |= i.path("repo").asText().equals("vault") && i.path("type").asText().equals("security");
            dependencyItem |= i.path("repo").asText().equals("web") && i.path("type").asText().equals("security");
            if (!i.path("repo").asText().equals("shop")) {
                assertFalse(i.path("status").asText().equals("done"), i.toString());
            }
        }
        assertEquals(List.of("done"), shopStatus, items.toString());
        assertTrue(secretItem, "the planted secret is in the backlog: " + items);
        assertTrue(dependencyItem, "the vulnerable dependency is in the backlog: " + items);

        Path document = Path.of(summary.path("document").asText());
        assertTrue(Files.isRegularFile(document), document.toString());
        String doc = Files.readString(document);
        for (String section : List.of("## SENSE", "## THINK", "## ACT", "## VERIFY", "## SHIP", "## Refused",
                "## LEARN", "toggles in force: enabled=true")) {
            assertTrue(doc.contains(section), section + " in " + doc);
        }
        for (Path f : List.of(runtime.home.resolve("data/ledger/backlog.json"), document,
                runtime.home.resolve("log/harmonix.log"))) {
            assertFalse(Files.readString(f).contains(SECRET), "the secret is in " + f);
        }
        try (Stream<Path> runs = Files.list(runtime.home.resolve("data/runs"))) {
            for (Path f : runs.toList()) {
                assertFalse(Files.readString(f).contains(SECRET), "the secret is in " + f);
            }
        }
        for (Path r : List.of(shop, vault, web)) {
            assertFalse(git(r, "log", "--all", "--format=%B").contains(SECRET), "a commit message holds the secret");
        }

        // a second run right away: nothing new ships, the fix is not shipped twice
        PackagedRuntime.Result again = runtime.exec("autonomy:run --json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(0, lastJson(again.out()).path("shipped").asInt(), again.out());
        assertEquals(shopAfter, git(shop, "rev-parse", "refs/heads/main").strip());
    }

    @Test
    void quarantineMakesDraftsAndTwoTriggersAtOnceAreOneRun() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path repos = Files.createDirectories(dir.resolve("repos"));
        Path shop = repository(repos, "shop", List.of("app.txt", "status: broken\n",
                "build.sh", "#!/bin/sh\ntrue\n", "test.sh", "#!/bin/sh\ngrep -q fixed app.txt\n",
                ".harmonix/fixes/status.diff", "--- a/app.txt\n+++ b/app.txt\n@@ -1 +1 @@\n-status: broken\n"
                        + "+status: fixed\n",
                ".harmonix/tasks.json", "{\"tasks\": [{\"title\": \"Make AppTest pass\", \"type\": \"bug\", "
                        + "\"risk\": \"low\", \"patch\": \".harmonix/fixes/status.diff\"}]}\n"));
        Files.writeString(runtime.home.resolve("etc/repositories.json"), "{\"repositories\": [{\"name\": \"shop\", "
                + "\"path\": \"" + shop + "\", \"build_command\": \"sh build.sh\", \"test_command\": \"sh test.sh\"}]}\n");
        lowRiskTasks(runtime);
        String before = git(shop, "rev-parse", "HEAD").strip();

        PackagedRuntime.Result q = runtime.exec("autonomy:quarantine on --reason 'testing drafts'; repo:discover; "
                + "autonomy:run --detach --json; autonomy:run --json");
        assertEquals(0, q.exit(), q.toString());
        List<JsonNode> values = values(q.out());
        JsonNode detached = values.stream().filter(v -> v.path("state").asText().equals("running")).findFirst()
                .orElseThrow(() -> new AssertionError(q.out()));
        JsonNode summary = values.get(values.size() - 1);
        assertEquals(detached.path("id").asText(), summary.path("id").asText(),
                "the second trigger joined the run going: " + q.out());
        assertEquals(1, summary.path("coalesced").asInt(), summary.toString());
        assertEquals(0, summary.path("shipped").asInt(), summary.toString());
        assertEquals(before, git(shop, "rev-parse", "refs/heads/main").strip(), "a draft never ships");
        assertTrue(summary.path("refusals").toString().contains("draft"), summary.toString());

        PackagedRuntime.Result changes = runtime.exec("change:list --json; autonomy:status --json");
        assertEquals(0, changes.exit(), changes.toString());
        assertTrue(changes.out().contains("\"DRAFT\"") || changes.out().contains("\"draft\""), changes.out());
        assertTrue(changes.out().contains("testing drafts"), "the status says why: " + changes.out());

        PackagedRuntime.Result refused = runtime.exec("autonomy:toggle quarantineMode false --as ada");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("autonomy:quarantine off --reason"), refused.toString());
        PackagedRuntime.Result lifted = runtime.exec("autonomy:quarantine off --reason 'drafts seen' --as ada; "
                + "autonomy:run --json");
        assertEquals(0, lifted.exit(), lifted.toString());
        assertEquals(1, lastJson(lifted.out()).path("shipped").asInt(), lifted.out());
        assertTrue(Files.readString(runtime.home.resolve("etc/io.harmonix.autonomy.cfg"))
                .matches("(?s).*quarantineMode\\s*=\\s*false.*"), "saved through Configuration Admin");
    }

    /**
     * The runtime's scoring rule makes tasks low risk, so that the task's fix ships by itself: a tasks file's own
     * "risk": "low" cannot (tasks are high risk by default and wait for change:approve).
     */
    static void lowRiskTasks(PackagedRuntime runtime) throws Exception {
        Path cfg = runtime.home.resolve("etc/io.harmonix.autonomy.cfg");
        Files.writeString(cfg, Files.readString(cfg) + "\nscoringRules = task=3/low\n");
    }

    private Path repository(Path repos, String name, List<String> files) throws Exception {
        Path repo = Files.createDirectories(repos.resolve(name));
        for (int i = 0; i < files.size(); i += 2) {
            Path f = repo.resolve(files.get(i));
            Files.createDirectories(f.getParent());
            Files.writeString(f, files.get(i + 1));
        }
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.org", "commit", "-q", "-m", "initial");
        // the controller never moves a checked-out branch: the working tree's HEAD is detached on main
        git(repo, "checkout", "-q", "--detach");
        return repo;
    }

    private String git(Path repo, String... arguments) throws Exception {
        return GitCli.run(dir, repo, arguments);
    }

    /** @return the JSON values of an exec's output (a streamed command's JSON lines, then its result) */
    static List<JsonNode> values(String out) throws IOException {
        List<JsonNode> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : out.split("\n")) {
            if (current.length() == 0 && !(line.startsWith("{") || line.startsWith("["))) {
                continue;
            }
            current.append(line).append('\n');
            try {
                values.add(JSON.readTree(current.toString()));
                current.setLength(0);
            } catch (com.fasterxml.jackson.core.JsonProcessingException incomplete) {
                // a pretty-printed value goes on over the next lines
            }
        }
        return values;
    }

    static JsonNode lastJson(String out) throws IOException {
        List<JsonNode> v = values(out);
        assertTrue(!v.isEmpty(), out);
        return v.get(v.size() - 1);
    }
}
