package io.harmonix.fleet.builds.internal;

import static io.harmonix.fleet.builds.internal.BuildFixture.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.BuildReport;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.Isolation;
import io.harmonix.fleet.api.RepositoryHealth;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import io.harmonix.workflow.api.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleet builds end to end over real repositories, the real sandbox, Derby and the durable workflow engine. */
class FleetBuildsTest {
    @TempDir
    Path dir;
    private BuildFixture fleet;

    @AfterEach
    void close() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void repositoriesBuildAfterTheirDependenciesHaveBuiltAndTested() throws Exception {
        fleet = new BuildFixture(dir, BuildFixture.settings());
        fleet.repository("core", "sleep 0.3", "sleep 0.2");
        fleet.repository("util", "sleep 0.3", "true", "core");
        fleet.repository("api", "sleep 0.3", "true", "core");
        fleet.repository("app", "sleep 0.2", "true", "api", "util");
        BuildReport report = fleet.build();
        assertEquals("succeeded", report.state(), report.toString());
        assertEquals(List.of(List.of("core"), List.of("api", "util"), List.of("app")), report.levels());
        for (String[] edge : new String[][] {{"util", "core"}, {"api", "core"}, {"app", "api"}, {"app", "util"}}) {
            Instant dependentStarted = checks(outcome(report, edge[0])).get(0).startedAt();
            CheckRecord lastOfDependency = last(checks(outcome(report, edge[1])));
            assertFalse(dependentStarted.isBefore(lastOfDependency.startedAt().plus(lastOfDependency.duration())),
                    edge[0] + " started before " + edge[1] + " had tested");
        }
        RepositoryOutcome core = outcome(report, "core");
        assertEquals(Outcome.BUILT, core.outcome());
        assertEquals(fleet.repos.head(dir.resolve("repos/core")), core.commit());
        assertEquals(List.of("build", "test"), checks(core).stream().map(CheckRecord::kind).toList());
        assertTrue(checks(core).stream().allMatch(c -> c.commit().equals(core.commit())));
        assertTrue(checks(core).stream().allMatch(c -> c.isolation() == Isolation.SANDBOX), "bubblewrap, here");
        var instance = fleet.engine.instance(report.instance()).orElseThrow();
        assertEquals("fleet_build", instance.workflow());
        assertEquals(4, instance.tasks().size());
    }

    @Test
    void aFailedRepositoryLeavesItsDependentsNotBuiltAndIndependentBranchesGoOn() throws Exception {
        fleet = new BuildFixture(dir, BuildFixture.settings());
        fleet.repository("core", "true", "true");
        fleet.repository("lib", "echo compile error >&2; exit 2", "true", "core");
        fleet.repository("app", "true", "true", "lib");
        fleet.repository("top", "true", "true", "app", "core");
        fleet.repository("tool", "sleep 0.5", "true", "core");
        BuildReport report = fleet.build();
        assertEquals("failed", report.state());
        assertTrue(report.failed());
        RepositoryOutcome lib = outcome(report, "lib");
        assertEquals(Outcome.FAILED, lib.outcome());
        assertTrue(lib.reason().startsWith("build failed on each of 2 attempt(s): exit 2"), lib.reason());
        assertEquals(2, lib.checks().size(), "retried once on the same commit");
        assertEquals("not built: depends on lib, which failed", outcome(report, "app").reason());
        assertEquals(Outcome.NOT_BUILT, outcome(report, "app").outcome());
        assertEquals("not built: depends on app, which is not built", outcome(report, "top").reason());
        assertEquals(Outcome.BUILT, outcome(report, "tool").outcome());
        assertTrue(outcome(report, "app").checks().isEmpty(), "nothing of app ran");
        var instance = fleet.engine.instance(report.instance()).orElseThrow();
        assertEquals(TaskState.SKIPPED, instance.tasks().stream().filter(t -> t.id().endsWith("_app")).findFirst()
                .orElseThrow().state());
    }

    @Test
    void aFlakyTestIsToldApartFromABrokenOne() throws Exception {
        fleet = new BuildFixture(dir, BuildFixture.settings());
        // fails on the first attempt only: the attempt number is all the state a sandboxed run may keep
        fleet.repository("flaky", "true", "test \"$HARMONIX_CHECK_ATTEMPT\" -ge 2");
        fleet.repository("broken", "true", "echo assertion failed; exit 1");
        BuildReport report = fleet.build();
        RepositoryOutcome flaky = outcome(report, "flaky");
        assertEquals(Outcome.BUILT, flaky.outcome());
        assertTrue(flaky.flaky());
        assertEquals(List.of("build", "test", "build", "test"), checks(flaky).stream().map(CheckRecord::kind)
                .toList());
        RepositoryOutcome broken = outcome(report, "broken");
        assertEquals(Outcome.FAILED, broken.outcome());
        assertFalse(broken.flaky());
        assertTrue(broken.reason().startsWith("test failed on each of 2 attempt(s): exit 1"), broken.reason());
        assertNull(broken.breakingCommit(), "never green: nothing to bisect from");
        RepositoryHealth health = health("flaky");
        assertEquals(1, health.flaky());
        assertEquals(0, health.consecutiveFailures());
        assertEquals(0, health("broken").flaky());
        assertEquals(1, health("broken").consecutiveFailures(), "one build, tried twice");
        // a console page's health: the named repositories' only, the same as the whole catalogue's for them
        List<RepositoryHealth> page = fleet.builds.health(Duration.ofDays(1), List.of("flaky", "nowhere"));
        assertEquals(List.of("flaky"), page.stream().map(RepositoryHealth::name).toList(), "an unknown name: left out");
        assertEquals(health("flaky"), page.get(0));
    }

    @Test
    void aBrokenRepositoryIsBisectedToTheCommitThatBrokeIt() throws Exception {
        fleet = new BuildFixture(dir, new Settings(2, 0, Duration.ZERO, 100, Duration.ofDays(7)));
        Path repo = fleet.repository("lib", "test -f history.txt", "true");
        BuildReport green = fleet.build();
        assertEquals(Outcome.BUILT, outcome(green, "lib").outcome());
        List<String> commits = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            fleet.repos.commit(repo, i == 6 ? "drop the check that kept us green" : "work " + i,
                    i == 6 ? "grep -q never history.txt" : null, null);
            commits.add(fleet.repos.head(repo));
        }
        BuildReport broken = fleet.build();
        RepositoryOutcome lib = outcome(broken, "lib");
        assertEquals(Outcome.FAILED, lib.outcome());
        RepositoryOutcome.BreakingCommit found = lib.breakingCommit();
        assertNotNull(found, lib.toString());
        assertEquals(commits.get(5), found.commit());
        assertEquals("Test", found.author());
        assertEquals("drop the check that kept us green", found.subject());
        assertEquals(outcome(green, "lib").commit(), found.lastGreen());
        assertEquals(3, found.checks().size(), "three probes among 8 commits");
        assertTrue(found.checks().stream().map(id -> fleet.history.check(id).orElseThrow().kind())
                .allMatch("bisect"::equals));
        assertTrue(lib.reason().contains("broken by " + commits.get(5).substring(0, 12)), lib.reason());
        List<BuildFixture.Published> events = fleet.events(FleetBuilds.BROKEN_EVENT);
        assertEquals(1, events.size());
        assertEquals("lib", events.get(0).subject());
        assertEquals(commits.get(5), events.get(0).data().get("commit"));
        assertEquals(lib.checks(), events.get(0).data().get("checks"));
    }

    @Test
    void aCycleIsBlockedWithItsPathAndTheRestBuilds() throws Exception {
        fleet = new BuildFixture(dir, BuildFixture.settings());
        fleet.repository("a", "true", "true", "b");
        fleet.repository("b", "true", "true", "a");
        fleet.repository("c", "true", "true");
        fleet.repository("d", "true", "true", "c", "ghost");
        BuildReport report = fleet.build();
        assertEquals(Outcome.BLOCKED, outcome(report, "a").outcome());
        assertEquals("blocked: in the dependency cycle a -> b -> a", outcome(report, "b").reason());
        assertEquals(Outcome.BUILT, outcome(report, "c").outcome());
        assertEquals(Outcome.BUILT, outcome(report, "d").outcome());
        assertEquals(List.of("ghost"), report.unknownDependencies().get("d"));
        assertEquals("failed", report.state());
    }

    @Test
    void affectedSinceLastGreenBuildsTheChangedAndWhatDependsOnThem() throws Exception {
        fleet = new BuildFixture(dir, BuildFixture.settings());
        Path core = fleet.repository("core", "true", "true");
        fleet.repository("api", "true", "true", "core");
        fleet.repository("tool", "true", "true");
        fleet.repository("docs", null, null);
        BuildReport first = fleet.build(List.of(), FleetBuilds.LAST_GREEN, 0);
        assertEquals(List.of(List.of("core", "tool"), List.of("api")), first.levels(), "never green: all changed");
        assertEquals("not built: has no build command", outcome(first, "docs").reason());
        fleet.repos.commit(core, "core changes", "echo core 2", null);
        BuildReport second = fleet.build(List.of("api", "core", "tool"), FleetBuilds.LAST_GREEN, 0);
        assertEquals(List.of(List.of("core"), List.of("api")), second.levels());
        assertEquals(Outcome.SKIPPED, outcome(second, "tool").outcome());
        assertEquals("succeeded", second.state(), "skipped is no failure");
        BuildReport third = fleet.build(List.of("api", "core", "tool"), FleetBuilds.LAST_GREEN, 0);
        assertNull(third.instance(), "nothing changed: no workflow");
        assertTrue(third.repositories().stream().allMatch(o -> o.outcome() == Outcome.SKIPPED));
    }

    @Test
    void anUnhealthyRepositoryIsReportedOncePerStreak() throws Exception {
        fleet = new BuildFixture(dir, new Settings(2, 0, Duration.ZERO, 2, Duration.ofDays(7)));
        Path repo = fleet.repository("lib", "exit 1", null);
        fleet.build();
        assertEquals(0, fleet.events(FleetBuilds.UNHEALTHY_EVENT).size(), "one failure: below the threshold");
        fleet.build();
        fleet.build();
        List<BuildFixture.Published> raised = fleet.events(FleetBuilds.UNHEALTHY_EVENT);
        assertEquals(1, raised.size(), "once for the streak, not at every further failure");
        assertEquals("lib", raised.get(0).subject());
        assertEquals(2, raised.get(0).data().get("consecutiveFailures"));
        fleet.repos.commit(repo, "fix", "true", null);
        fleet.build();
        assertEquals(0, health("lib").consecutiveFailures());
        assertNotNull(health("lib").meanTimeToRecovery());
        fleet.repos.commit(repo, "break again", "exit 1", null);
        fleet.build();
        fleet.build();
        assertEquals(2, fleet.events(FleetBuilds.UNHEALTHY_EVENT).size(), "a new streak is reported again");
    }

    @Test
    void aBuildTaskFailingOnEveryAttemptIsOneFailureOfTheStreak() throws Exception {
        // the defaults: two retries (three attempts), threshold 3
        fleet = new BuildFixture(dir, new Settings(2, 2, Duration.ZERO, 3, Duration.ofDays(7)));
        fleet.repository("lib", "echo broken; exit 1", null);
        RepositoryOutcome first = outcome(fleet.build(), "lib");
        assertEquals(3, first.checks().size(), "three attempts");
        assertEquals(1, health("lib").consecutiveFailures(), "one build failed, however often it was tried");
        assertEquals(List.of(), fleet.events(FleetBuilds.UNHEALTHY_EVENT), "one broken build is not unhealthy");
        fleet.build();
        assertEquals(List.of(), fleet.events(FleetBuilds.UNHEALTHY_EVENT));
        fleet.build();
        List<BuildFixture.Published> raised = fleet.events(FleetBuilds.UNHEALTHY_EVENT);
        assertEquals(1, raised.size(), "the third failed build in a row");
        assertEquals(3, raised.get(0).data().get("consecutiveFailures"));
        assertEquals(9, ((List<?>) raised.get(0).data().get("checks")).size(), "every failing check of the streak");
        assertEquals(3, health("lib").consecutiveFailures());
    }

    @Test
    void aStillBrokenRepositoryIsReportedBrokenOnceAndNotBisectedAgain() throws Exception {
        fleet = new BuildFixture(dir, new Settings(2, 0, Duration.ZERO, 100, Duration.ofDays(7)));
        Path repo = fleet.repository("lib", "test -f history.txt", "true");
        fleet.build();
        fleet.repos.commit(repo, "work", null, null);
        fleet.repos.commit(repo, "break it", "grep -q never history.txt", null);
        String breaking = fleet.repos.head(repo);
        fleet.repos.commit(repo, "more work", null, null);
        RepositoryOutcome first = outcome(fleet.build(), "lib");
        assertEquals(breaking, first.breakingCommit().commit(), first.toString());
        RepositoryOutcome again = outcome(fleet.build(), "lib");
        assertEquals(first.breakingCommit(), again.breakingCommit(), "the same green and HEAD: the same answer");
        List<CheckRecord> probes = fleet.history.checks("lib", 100).stream().filter(c -> c.kind().equals("bisect"))
                .toList();
        assertEquals(first.breakingCommit().checks().size(), probes.size(), "no probe ran again: " + probes);
        assertEquals(1, fleet.events(FleetBuilds.BROKEN_EVENT).size(), "broken at that commit is told once");
        fleet.repos.commit(repo, "still broken", null, null);
        RepositoryOutcome later = outcome(fleet.build(), "lib");
        assertEquals(breaking, later.breakingCommit().commit(), "bisected again: HEAD moved");
        assertEquals(1, fleet.events(FleetBuilds.BROKEN_EVENT).size(), "still the same breaking commit");
        fleet.repos.commit(repo, "fix", "true", null);
        assertEquals(Outcome.BUILT, outcome(fleet.build(), "lib").outcome());
        fleet.repos.commit(repo, "break it again", "grep -q never history.txt", null);
        String second = fleet.repos.head(repo);
        assertEquals(second, outcome(fleet.build(), "lib").breakingCommit().commit());
        assertEquals(2, fleet.events(FleetBuilds.BROKEN_EVENT).size(), "a new breakage is told");
    }

    @Test
    void aBuildStoppedInItsMiddleResumesOnTheSameCommitsWithoutRunningFinishedStepsAgain() throws Exception {
        fleet = new BuildFixture(dir, BuildFixture.settings());
        Path a = fleet.repository("a", "sleep 0.2", "true");
        fleet.repository("b", "sleep 1", "true", "a");
        fleet.repository("c", "true", "true", "b");
        BuildReport started = fleet.builds.build(List.of(), null, 0, null);
        BuildReport before = started;
        for (int i = 0; i < 200 && outcome(before, "b").outcome() != Outcome.RUNNING; i++) {
            Thread.sleep(25);
            before = fleet.builds.report(started.instance()).orElseThrow();
        }
        assertEquals(Outcome.RUNNING, outcome(before, "b").outcome(), before.toString());
        String aCommit = outcome(before, "a").commit();
        List<Long> aChecks = outcome(before, "a").checks();
        fleet.engine.close(); // a stop: b is cut while it builds
        fleet.repos.commit(a, "a moves on while the runtime is down", "echo later", null);
        fleet.start();
        fleet.engine.resumeInterrupted();
        BuildReport end = fleet.builds.await(started.instance(), Duration.ofMinutes(1));
        assertEquals("succeeded", end.state(), end.toString());
        assertEquals(aCommit, outcome(end, "a").commit(), "the commit resolved when the build started");
        assertEquals(aChecks, outcome(end, "a").checks(), "a is not built again");
        assertEquals(started.repositories().stream().map(RepositoryOutcome::commit).toList(),
                end.repositories().stream().map(RepositoryOutcome::commit).toList());
        assertTrue(checks(outcome(end, "b")).stream().allMatch(CheckRecord::passed), "b's steps ran to their end");
    }

    private RepositoryHealth health(String name) {
        return fleet.builds.health(Duration.ofDays(1)).stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private List<CheckRecord> checks(RepositoryOutcome o) {
        return o.checks().stream().map(id -> fleet.history.check(id).orElseThrow()).toList();
    }

    private static CheckRecord last(List<CheckRecord> checks) {
        return checks.get(checks.size() - 1);
    }
}
