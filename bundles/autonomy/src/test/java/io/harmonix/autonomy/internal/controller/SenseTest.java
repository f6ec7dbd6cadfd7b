package io.harmonix.autonomy.internal.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.agent.quality.testing.TestQualityAgent;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryHealth;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.workflow.api.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SENSE over real git repositories, scanned by the real quality agent in the real runner: a scan per repository's
 * commit (reused while the commit stays), the findings and their fixes, the tasks file, the fleet's health and
 * breaking commits as the fleet reports them.
 */
class SenseTest {
    static final String BASKET = """
            package shop;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;

            public class Basket {
                private final List<String> items = new ArrayList<>();

                public void add(String item) {
                    items.add(item);
                }
            }
            """;

    @TempDir
    Path dir;
    RunEngine runner;
    GitRepo shop;
    GitRepo docs;
    final List<Repository> repositories = new ArrayList<>();
    final List<RepositoryHealth> health = new ArrayList<>();
    final List<Event> broken = new ArrayList<>();
    Sense sense;

    @BeforeEach
    void fleet() throws Exception {
        runner = new RunEngine(new RunnerSettings(2, Duration.ofMinutes(2), 50, false), RunnerLog.console());
        runner.addAgent(new AgentInfo("quality.test", "quality", 1, "test"),
                TestQualityAgent.create(dir, "test", Map.of()), 1);
        shop = GitRepo.init(dir.resolve("shop")).write("src/shop/Basket.java", BASKET)
                .write(".harmonix/fixes/readme.diff", "--- a/README\n+++ b/README\n@@ -1 +1 @@\n-shop\n+the shop\n")
                .write("README", "shop\n")
                .write(TasksFile.PATH, """
                        {"tasks": [{"title": "Say what the shop is", "type": "chore", "priority": 2, "risk": "low",
                                    "patch": ".harmonix/fixes/readme.diff"}]}
                        """).commit("shop");
        docs = GitRepo.init(dir.resolve("docs")).write("README", "docs\n")
                .write(TasksFile.PATH, "{\"tasks\": [{\"title\": \"x\", \"type\": \"bug\", \"priority\": 7}]}")
                .commit("docs");
        repositories.add(repository("shop", shop));
        repositories.add(repository("docs", docs));
        sense = new Sense(new Sense.Sources(() -> repositories, () -> health, repo -> List.of(), () -> broken,
                () -> null, new Scans(() -> runner, () -> null, () -> List.of("quality"),
                        () -> Duration.ofMinutes(2))));
    }

    private static Repository repository(String name, GitRepo git) {
        return new Repository(name, git.root().toString(), "java", null, null, List.of(), List.of(), "test", null);
    }

    @AfterEach
    void stop() throws InterruptedException {
        runner.close(Duration.ofSeconds(10));
    }

    @Test
    void aRepositorysCommitIsScannedOnceItsFindingsCarryTheirFixAndItsTasksTheirPatch() throws Exception {
        Sense.Result first = sense.sense();
        assertEquals(2, first.repositories());
        Scans.Scan scan = first.scans().stream().filter(s -> s.repo().equals("shop")).findFirst().orElseThrow();
        assertEquals(shop.head(), scan.commit());
        assertEquals(1, scan.started().size(), "no scan of that commit yet: one is started and waited for");

        Signal unused = first.signals().stream().filter(s -> s.summary().startsWith("UnnecessaryImport"))
                .findFirst().orElseThrow(() -> new AssertionError(first.signals()));
        assertEquals("shop", unused.repo());
        assertEquals(ItemType.CHORE, unused.type());
        assertTrue(unused.rule().startsWith("quality."), unused.rule());
        assertEquals(shop.head(), unused.commit());
        assertTrue(unused.evidence().get(0).startsWith("harmonix:finding/"), unused.evidence().toString());
        assertNotNull(unused.change(), "the agent proposed its fix on this very commit");
        assertEquals("fix", unused.change().kind());
        assertEquals("quality/UnnecessaryImport", unused.change().groupKey(), "fixes of one rule group together");
        assertTrue(unused.change().diff().contains("-import java.util.Map;"), unused.change().diff());

        Signal task = first.signals().stream().filter(s -> s.rule().equals("task")).findFirst().orElseThrow();
        assertEquals(new Signal("shop", "task", ItemType.CHORE, "Say what the shop is", "task: Say what the shop is",
                Risk.LOW, 2, List.of("harmonix:task/shop/0"), shop.head(), new Signal.Change("fix",
                        "Say what the shop is", null, 0, null,
                        "--- a/README\n+++ b/README\n@@ -1 +1 @@\n-shop\n+the shop\n")), task);
        assertTrue(first.notes().contains("tasks file refused: docs/.harmonix/tasks.json:1:42: /tasks/0/priority: "
                + "expected an integer from 1 to 5; was 7"), first.notes().toString());
        assertTrue(first.signals().stream().noneMatch(s -> s.repo().equals("docs") && s.rule().equals("task")));

        Sense.Result again = sense.sense();
        assertEquals(List.of(), again.scans().get(0).started(), "the commit was scanned: that scan serves");
        assertEquals(first.signals(), again.signals());

        shop.write("src/shop/Basket.java", BASKET.replace("import java.util.Map;\n", "")).commit("tidy");
        Sense.Result moved = sense.sense();
        Scans.Scan rescanned = moved.scans().stream().filter(s -> s.repo().equals("shop")).findFirst().orElseThrow();
        assertEquals(shop.head(), rescanned.commit());
        assertEquals(1, rescanned.started().size(), "a new commit: a new scan");
        assertTrue(moved.signals().stream().noneMatch(s -> s.summary().startsWith("UnnecessaryImport")),
                "the import is gone at the new commit");
    }

    @Test
    void tasksAreReadFromTheMainBranchNeverFromABranchCheckedOut() throws Exception {
        shop.git("checkout", "-q", "-b", "contributor");
        shop.write(TasksFile.PATH, """
                {"tasks": [{"title": "Ship my change", "type": "chore", "risk": "low",
                            "patch": ".harmonix/fixes/readme.diff"}]}
                """).commit("my own task");
        Sense.Result r = sense.sense();
        List<String> titles = r.signals().stream().filter(s -> s.rule().equals("task")).map(Signal::title).toList();
        assertEquals(List.of("Say what the shop is"), titles, "main's tasks file, not the checked-out branch's");
        Signal task = r.signals().stream().filter(s -> s.rule().equals("task")).findFirst().orElseThrow();
        assertEquals(shop.git("rev-parse", "main").strip(), task.commit());

        shop.git("branch", "-q", "-m", "main", "trunk");
        Sense.Result noMain = sense.sense();
        assertTrue(noMain.signals().stream().noneMatch(s -> s.rule().equals("task")), noMain.signals().toString());
        assertTrue(noMain.notes().contains("shop: no main branch refs/heads/main: its tasks file not read"),
                noMain.notes().toString());
    }

    @Test
    void aRedMainAndACommitThatBrokeTheBuildAreSignalsTheRevertOnlyWhileTheCommitIsInTheHistory() throws Exception {
        String bad = shop.write("README", "oops\n").commit("break it").head();
        shop.write("NOTES", "later\n").commit("later");
        health.add(new RepositoryHealth("shop", 5, 2, 5, 2, Instant.parse("2026-11-20T10:00:00Z"), null, 0, 3));
        health.add(new RepositoryHealth("docs", 3, 3, 3, 3, null, null, 0, 0));
        broken.add(new Event("e1", "harmonix.fleet", FleetBuilds.BROKEN_EVENT, Instant.now(), "shop",
                Map.of("repository", "shop", "commit", bad, "subject", "break it", "checks", List.of(41, 42))));
        broken.add(new Event("e2", "harmonix.fleet", FleetBuilds.BROKEN_EVENT, Instant.now(), "docs",
                Map.of("repository", "docs", "commit", "0".repeat(40))));
        Sense.Result r = sense.sense();

        List<Signal> red = r.signals().stream().filter(s -> s.rule().equals("main-red")).toList();
        assertEquals(1, red.size(), "docs is healthy");
        assertEquals("main is red: 3 build(s) failed in a row, last green 2026-11-20T10:00:00Z", red.get(0).summary());
        assertEquals(List.of("harmonix:health/shop"), red.get(0).evidence());
        assertNull(red.get(0).change(), "no fix known for a red main by itself");

        List<Signal> reverts = r.signals().stream().filter(s -> s.rule().equals("breaking-commit")).toList();
        assertEquals(1, reverts.size(), "a commit not in docs' history is nothing to revert there");
        Signal revert = reverts.get(0);
        assertEquals(List.of("harmonix:check/41", "harmonix:check/42"), revert.evidence());
        assertEquals(new Signal.Change("revert", "Revert " + bad.substring(0, 12) + " that broke the build", null, 0,
                bad, null), revert.change());
        assertEquals(ItemType.BUG, revert.type());
    }

    @Test
    void whatIsNotThereIsNotedAndTheRunGoesOn() throws Exception {
        Sense none = new Sense(new Sense.Sources(() -> null, () -> null, repo -> null, () -> null, () -> null,
                new Scans(() -> null, () -> null, () -> List.of("quality"), () -> Duration.ofMinutes(1))));
        Sense.Result r = none.sense();
        assertEquals(0, r.repositories());
        assertEquals(List.of(), r.signals());
        assertEquals(List.of("no fleet catalogue: no repository to look at (feature harmonix-fleet)",
                "no fleet builds: the health of main branches is not known (feature harmonix-fleet)",
                "no enhancement ledger: validated proposals are not read (feature harmonix-waves)"), r.notes());
    }
}
