package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller run stopped dead in the two windows the issue names, on the packaged runtime: after the ship decision
 * is recorded and before main's ref moves, then (the run resumed) after the ref moved and before the ship is
 * finished. The runtime halts itself there (the system property {@code harmonix.autonomy.crashPoint}, a
 * {@code Runtime.halt}: no shutdown hook, nothing flushed, as a kill -9), so where it stopped is known exactly, with
 * no timing. Resumed each time with {@code wf:resume}, the run completes, and the stores say: main moved once, to the
 * very commit the checks ran on; the change has one candidate decision and one ship decision, each once; its item is
 * done; the ledger validates. And a run halted at the end of each phase (its result recorded, its workflow task not
 * yet ended), resumed each time, ships once.
 */
class AutonomyKillIT {
    /** The exit status of a runtime halted at a crash point (CrashPoints.EXIT). */
    private static final int HALTED = 97;

    @TempDir
    Path dir;

    @Test
    void haltedAfterTheDecisionAndAfterTheRefUpdateTheRunShipsOnceUnderOneDecision() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path shop = dir.resolve("repos/shop");
        String before = fleetOfOne(runtime, shop);

        PackagedRuntime.Result decided = runtime.execWith(crashAt("decided"), "repo:discover; autonomy:run --json");
        assertEquals(HALTED, decided.exit(), decided.toString());
        assertTrue(decided.err().contains("crash point 'decided'"), decided.toString());
        assertEquals(before, main(shop), "halted before the ref update");

        // (the read-only questions of a moment in one exec each: every exec is a start of the default features)
        PackagedRuntime.Result status = runtime.exec("autonomy:status --json; change:show 1 --json");
        assertEquals(0, status.exit(), status.toString());
        List<JsonNode> statusAndChange = AutonomyIT.values(status.out());
        assertEquals(2, statusAndChange.size(), status.toString());
        JsonNode run = statusAndChange.get(0).path("lastRuns").get(0);
        String id = run.path("id").asText();
        assertEquals("running", run.path("state").asText(), run.toString());
        JsonNode halted = statusAndChange.get(1);
        assertEquals(List.of("candidate", "ship"), kinds(halted), halted.toString());

        PackagedRuntime.Result moved = runtime.execWith(crashAt("moved"), "wf:resume " + id + "; wf:instance " + id
                + " --await 5m");
        assertEquals(HALTED, moved.exit(), moved.toString());
        assertTrue(moved.err().contains("crash point 'moved'"), moved.toString());
        assertEquals(before, git(shop, "rev-parse", "refs/heads/main^").strip(), "main moved by one commit");
        assertTrue("VERIFIED".equalsIgnoreCase(change(runtime).path("state").asText()), "halted before the finish");

        PackagedRuntime.Result after = runtime.exec("wf:resume " + id + "; wf:instance " + id + " --await 5m; "
                + "ledger:validate; autonomy:status --json; change:show 1 --json; ledger:list --json");
        assertEquals(0, after.exit(), after.toString());
        List<JsonNode> answers = AutonomyIT.values(afterTheLedger(after.out()));
        assertEquals(3, answers.size(), after.toString());
        JsonNode ended = answers.get(0).path("lastRuns").get(0);
        assertEquals(id, ended.path("id").asText(), ended.toString());
        assertEquals("completed", ended.path("state").asText(), ended.toString());
        assertTrue(Files.isRegularFile(Path.of(ended.path("document").asText())), ended.toString());

        assertEquals("1", git(shop, "rev-list", "--count", before + "..refs/heads/main").strip(), "moved once");
        assertEquals("status: fixed\n", git(shop, "show", "refs/heads/main:app.txt"));
        JsonNode c = answers.get(1);
        assertTrue("SHIPPED".equalsIgnoreCase(c.path("state").asText()), c.toString());
        assertEquals(main(shop), c.path("verifiedCommit").asText(), "main is the commit the checks ran on");
        assertEquals(List.of("candidate", "ship"), kinds(c), "one decision of each, each once: " + c);
        assertEquals(halted.path("decisionIds"), c.path("decisionIds"), "the ship decided before the halts: " + c);
        String ship = c.path("decisionIds").get(1).asText();
        assertTrue(git(shop, "log", "-1", "--format=%B", "refs/heads/main").contains("TAP-DECISION: "
                + c.path("decisionIds").get(0).asText() + " "), "the candidate's trailer");

        List<String> shopItems = new ArrayList<>();
        for (JsonNode i : answers.get(2)) {
            if (i.path("repo").asText().equals("shop")) {
                shopItems.add(i.path("status").asText() + " " + i.path("policy_decision_ref").asText() + " "
                        + i.path("commit_sha").asText());
            }
        }
        assertEquals(List.of("done " + ship + " " + main(shop)), shopItems);
        PackagedRuntime.Result proof = runtime.exec("index:prove " + ship);
        assertEquals(0, proof.exit(), proof.toString());
    }

    @Test
    void haltedAtTheEndOfEachPhaseTheRunResumesThereAndShipsOnce() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path shop = dir.resolve("repos/shop");
        String before = fleetOfOne(runtime, shop);

        // each phase's result recorded, the workflow's record of its task not yet: the run resumes at that task,
        // which answers the recorded result and does its work no second time
        PackagedRuntime.Result sensed = runtime.execWith(crashAt("end-sense"), "repo:discover; autonomy:run --json");
        assertEquals(HALTED, sensed.exit(), sensed.toString());
        PackagedRuntime.Result status = runtime.exec("autonomy:status --json");
        assertEquals(0, status.exit(), status.toString());
        String id = AutonomyIT.lastJson(status.out()).path("lastRuns").get(0).path("id").asText();
        for (String phase : List.of("think", "act", "verify", "ship")) {
            PackagedRuntime.Result halted = runtime.execWith(crashAt("end-" + phase), "wf:resume " + id
                    + "; wf:instance " + id + " --await 5m");
            assertEquals(HALTED, halted.exit(), phase + ": " + halted);
            assertTrue(halted.err().contains("crash point 'end-" + phase + "'"), halted.toString());
        }
        assertEquals(before, git(shop, "rev-parse", "refs/heads/main^").strip(), "shipped before the last halt");

        PackagedRuntime.Result after = runtime.exec("wf:resume " + id + "; wf:instance " + id + " --await 5m; "
                + "ledger:validate; autonomy:status --json; change:list --json; change:show 1 --json");
        assertEquals(0, after.exit(), after.toString());
        List<JsonNode> answers = AutonomyIT.values(afterTheLedger(after.out()));
        assertEquals(3, answers.size(), after.toString());
        JsonNode ended = answers.get(0).path("lastRuns").get(0);
        assertEquals(id, ended.path("id").asText(), ended.toString());
        assertEquals("completed", ended.path("state").asText(), ended.toString());
        assertEquals(1, answers.get(1).size(), "one change request opened: " + after.out());
        assertEquals("1", git(shop, "rev-list", "--count", before + "..refs/heads/main").strip(), "moved once");
        JsonNode c = answers.get(2);
        assertTrue("SHIPPED".equalsIgnoreCase(c.path("state").asText()), c.toString());
        assertEquals(List.of("candidate", "ship"), kinds(c), "one decision of each, each once: " + c);
        assertEquals(main(shop), c.path("verifiedCommit").asText(), "main is the commit the checks ran on");
    }
    /**
     * A fleet of one repository whose task (its fix in the repository) ships by itself under the runtime's rules.
     *
     * @return main's commit before any run
     */
    private String fleetOfOne(PackagedRuntime runtime, Path shop) throws Exception {
        Files.createDirectories(shop);
        write(shop, "app.txt", "status: broken\n");
        write(shop, "build.sh", "#!/bin/sh\ntrue\n");
        write(shop, "test.sh", "#!/bin/sh\ngrep -q fixed app.txt\n");
        write(shop, ".harmonix/fixes/status.diff", "--- a/app.txt\n+++ b/app.txt\n@@ -1 +1 @@\n-status: broken\n"
                + "+status: fixed\n");
        write(shop, ".harmonix/tasks.json", "{\"tasks\": [{\"title\": \"Make AppTest pass\", \"type\": \"bug\", "
                + "\"risk\": \"low\", \"patch\": \".harmonix/fixes/status.diff\"}]}\n");
        git(shop, "init", "-q", "-b", "main");
        git(shop, "add", "-A");
        git(shop, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.org", "commit", "-q", "-m", "initial");
        // the controller never moves a checked-out branch: the working tree's HEAD is detached on main
        git(shop, "checkout", "-q", "--detach");
        Files.writeString(runtime.home.resolve("etc/repositories.json"), "{\"repositories\": [{\"name\": \"shop\", "
                + "\"path\": \"" + shop + "\", \"build_command\": \"sh build.sh\", \"test_command\": \"sh test.sh\"}]}\n");
        // scans are not what this test is about: no agent types to wait for; the runtime's rule (not the tasks
        // file) makes the task low risk, so that it ships by itself
        Files.writeString(runtime.home.resolve("etc/io.harmonix.autonomy.cfg"), "scanAgents = \nschedule = \n"
                + "scoringRules = task=3/low\n");
        return main(shop);
    }

    /**
     * @return what an exec printed after ledger:validate's line: the JSON answers, without wf:instance's table before
     *     it (whose progress bar line begins with '[' as a JSON array does)
     */
    private static String afterTheLedger(String out) {
        return out.substring(out.indexOf('\n', out.indexOf("backlog.json: valid")) + 1);
    }

    private static Map<String, String> crashAt(String point) {
        return Map.of("HARMONIX_JAVA_OPTS", "-Dharmonix.autonomy.crashPoint=" + point);
    }

    /** @return the one change request as {@code change:show 1 --json} gives it (state, decisions, ...) */
    private static JsonNode change(PackagedRuntime runtime) throws Exception {
        PackagedRuntime.Result show = runtime.exec("change:show 1 --json");
        assertEquals(0, show.exit(), show.toString());
        return AutonomyIT.lastJson(show.out());
    }

    /** @return what each decision about the change decided, in order; fails when one id comes twice */
    private static List<String> kinds(JsonNode change) {
        List<String> kinds = new ArrayList<>();
        HashSet<String> ids = new HashSet<>();
        for (JsonNode d : change.path("decisions")) {
            assertTrue(ids.add(d.path("id").asText()), "decision " + d + " twice in " + change);
            kinds.add(d.path("decision").asText());
        }
        assertEquals(ids.size(), change.path("decisionIds").size(), change.toString());
        return kinds;
    }

    private static void write(Path repo, String file, String text) throws Exception {
        Path f = repo.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private String main(Path repo) throws Exception {
        return git(repo, "rev-parse", "refs/heads/main").strip();
    }

    private String git(Path repo, String... arguments) throws Exception {
        return GitCli.run(dir, repo, arguments);
    }
}
