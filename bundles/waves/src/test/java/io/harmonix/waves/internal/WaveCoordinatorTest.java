package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.waves.api.AgentInstance;
import io.harmonix.runner.api.RunState;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport;
import io.harmonix.waves.api.WaveReport.Conflict;
import io.harmonix.waves.api.WaveReport.MergedFinding;
import io.harmonix.waves.api.WaveRequest;
import io.harmonix.waves.api.WaveSize;
import io.harmonix.waves.api.WaveStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaveCoordinatorTest {
    @TempDir
    Path dir;
    WaveFixture fx;

    @BeforeEach
    void open() throws Exception {
        fx = WaveFixture.open(dir, 4);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private WaveRequest request(WaveSize size, Focus focus, int cycles) {
        return new WaveRequest(fx.repo().toString(), size, focus, List.of(), cycles, Duration.ZERO);
    }

    @Test
    void aSmallWaveDeploysFiveInstancesOfItsFocusOverTheComponentsThatHoldCode() throws Exception {
        Wave w = fx.waves.start(request(WaveSize.SMALL, Focus.QUALITY, 2));

        assertEquals(WaveFixture.COMPONENTS, w.components(), "docs/ holds no code: not a component");
        assertEquals(5, w.instances().size());
        assertTrue(w.instances().stream().allMatch(i -> i.type().equals("quality")));
        assertEquals("quality." + w.id() + "-1", w.instances().get(0).agentId(), "the id DS gives configuration "
                + "io.harmonix.agent.quality~" + w.id() + "-1");
        assertOwnedOnce(w.instances());
        for (AgentInstance i : w.instances()) {
            assertEquals(i.components(), fx.coordinator.leases.held(i.agentId()).stream()
                    .map(Leases.Lease::component).toList(), "its leases in Derby");
        }
        assertEquals(5, fx.deployment.all().size());
        assertEquals(Coordinator.RUN_PREFIX + w.id(), w.runId(), "the prefix of its runs");
        for (int i = 0; i < 5; i++) {
            assertEquals(Coordinator.RUN_PREFIX + w.id() + "-" + (i + 1), w.instances().get(i).runId(),
                    "one run per instance");
        }

        Wave ended = fx.awaitEnd(w.id());
        assertEquals(WaveStatus.COMPLETED, ended.status());
        for (String run : fx.runs(w)) {
            assertEquals(2, fx.engine.run(run).orElseThrow().completedCycles());
            assertEquals(1, fx.engine.run(run).orElseThrow().agentIds().size(), "its instance only");
            assertEquals(0, fx.engine.run(run).orElseThrow().failedEntries(), "every instance ran every cycle");
        }
        assertEquals(List.of(), fx.deployment.all(), "its configurations are deleted at the end");
        assertEquals(List.of(), fx.coordinator.leases.onTarget(w.target()), "its leases are released");
        assertTrue(ended.instances().stream().allMatch(i -> i.leaseExpiry() == null && i.doing().equals("done")));
    }

    @Test
    void aLargeWaveHasAnInstanceOfEveryTypeAndNoTwoOwnersOfAComponent() throws Exception {
        Wave w = fx.waves.start(request(WaveSize.LARGE, null, 1));

        assertEquals(12, w.instances().size(), "15 at full capacity, 12 components to own");
        Set<String> types = new HashSet<>();
        w.instances().forEach(i -> types.add(i.type()));
        assertEquals(Set.of("quality", "security", "architecture", "performance", "workflow"), types);
        assertOwnedOnce(w.instances());
        assertEquals(WaveStatus.COMPLETED, fx.awaitEnd(w.id()).status());
    }

    @Test
    void aSecondWaveOnTheSameTargetGetsNoComponentTheFirstOwns() throws Exception {
        fx.deployment.work = Duration.ofMillis(300);
        Wave first = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY,
                List.of("alpha", "beta", "gamma"), 20, Duration.ofMillis(100)));
        Wave second = fx.waves.start(request(WaveSize.SMALL, Focus.SECURITY, 1));

        Set<String> ownedByFirst = new HashSet<>();
        first.instances().forEach(i -> ownedByFirst.addAll(i.components()));
        assertEquals(Set.of("alpha", "beta", "gamma"), ownedByFirst);
        second.instances().forEach(i -> assertTrue(i.components().stream().noneMatch(ownedByFirst::contains),
                i.toString()));
        List<AgentInstance> all = new ArrayList<>(fx.waves.activeAgents());
        assertOwnedOnce(all);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> fx.waves.start(
                new WaveRequest(fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY, List.of("alpha"), 1,
                        Duration.ZERO)));
        assertTrue(refused.getMessage().contains("owned by an instance of a running wave"), refused.getMessage());

        Wave stopped = fx.waves.stop(first.id());
        assertEquals(WaveStatus.STOPPED, stopped.status());
        assertEquals("stopped on request", stopped.message());
        assertTrue(fx.deployment.all().stream().noneMatch(c -> c.name().startsWith(first.id())));
        assertTrue(fx.coordinator.leases.onTarget(first.target()).stream()
                .noneMatch(l -> l.waveId().equals(first.id())));
        fx.awaitEnd(second.id());
    }

    @Test
    void findingsAreMergedByFingerprintAndConflictsResolvedByTheRule() throws Exception {
        // one instance owns alpha, beta and gamma: the rule decides between its own overlapping proposals
        Wave w = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.LARGE, null,
                List.of("alpha", "beta", "gamma", "delta"), 1, Duration.ZERO));
        fx.awaitEnd(w.id());
        WaveReport report = fx.waves.report(w.id());

        MergedFinding hack = report.findings().stream().filter(f -> f.ruleId().equals("hack-commit")).findFirst()
                .orElseThrow(() -> new AssertionError(report + " " + fx.log));
        assertEquals(w.instances().size(), hack.sources().size(), "every instance saw it: one entry, all sources");
        assertEquals(1, report.findings().stream().filter(f -> f.ruleId().equals("hack-commit")).count());
        assertEquals(List.of("alpha/A.java:2", "alpha/A.java:3", "beta/B.java:2", "beta/B.java:5", "delta/d.py:1",
                "gamma/stray.txt:1"), report.findings().stream().filter(f -> !f.ruleId().equals("hack-commit"))
                .map(f -> f.file() + ":" + f.line()).sorted().toList());

        Conflict alpha = conflictAt(report, "alpha/A.java");
        assertEquals("overlap", alpha.kind());
        assertTrue(alpha.resolution().contains("severity high over low"), alpha.resolution());
        assertTrue(alpha.resolution().contains("re-proposed on the new base next cycle"), alpha.resolution());
        Conflict beta = conflictAt(report, "beta/B.java");
        assertTrue(beta.resolution().contains("the smaller change: 1 changed lines over 2"), beta.resolution());
        Conflict stray = report.conflicts().stream().filter(c -> c.kind().equals("ownership")).findFirst()
                .orElseThrow();
        assertTrue(stray.resolution().contains("changes alpha/A.java, outside the components"), stray.resolution());
        assertNull(stray.winner());
        assertEquals(3, report.conflicts().size(), report.conflicts().toString());

        List<String> kept = report.proposals().stream().map(p -> p.title()).sorted().toList();
        assertEquals(List.of("Remove the fixme line", "Remove the todo line", "Remove the todo line"), kept,
                "alpha's FIXME, beta's second TODO, delta's TODO");
        assertTrue(report.proposals().stream().allMatch(p -> p.status().startsWith("not submitted")));
    }

    /**
     * A wave of three instances is three runs, one agent each. A cycle of the wave is put together from the three
     * runs' entries of that cycle: two instances own nested components ({@code alpha} and {@code alpha/sub}), so both
     * report the findings of {@code alpha/sub/S.java} (one entry each, with both sources) and both propose its fixes;
     * the same fix from both is one proposal, and the low fix of each, overlapping the high one of the first
     * instance, is set aside: a conflict between two instances' proposals, each recorded once in cycle 1 though
     * every cycle finds it again. Each cycle is aggregated once.
     */
    @Test
    void aWaveOfThreeInstancesIsThreeRunsWhoseCyclesAreMergedAndWhoseConflictsAreDecidedOnce(@TempDir Path other)
            throws Exception {
        io.harmonix.enhance.api.testing.GitRepo nested = io.harmonix.enhance.api.testing.GitRepo.init(
                other.resolve("nested"));
        nested.write("alpha/A.java", "class A {\n}\n")
                .write("alpha/sub/S.java", "class S {\n// FIXME the sum\n// TODO tidy\n}\n")
                .write("beta/B.java", "class B {\n// TODO one\n}\n").commit("first");
        Wave w = fx.waves.start(new WaveRequest(nested.root().toString(), WaveSize.SMALL, Focus.QUALITY,
                List.of("alpha", "alpha/sub", "beta"), 3, Duration.ZERO));
        assertEquals(3, w.instances().size());
        assertEquals(List.of(List.of("alpha"), List.of("alpha/sub"), List.of("beta")), w.instances().stream()
                .map(AgentInstance::components).toList());
        List<String> agents = w.instances().stream().map(AgentInstance::agentId).toList();

        assertEquals(WaveStatus.COMPLETED, fx.awaitEnd(w.id()).status());
        for (int i = 0; i < 3; i++) {
            var run = fx.engine.run(w.instances().get(i).runId()).orElseThrow();
            assertEquals(List.of(agents.get(i)), run.agentIds(), "a run of its instance alone");
            assertEquals(3, run.completedCycles());
        }
        WaveReport report = fx.waves.report(w.id());
        assertEquals(List.of("alpha/sub/S.java:2 " + agents.subList(0, 2), "alpha/sub/S.java:3 "
                + agents.subList(0, 2), "beta/B.java:2 " + agents.subList(2, 3)), report.findings().stream()
                .map(f -> f.file() + ":" + f.line() + " " + f.sources()).toList(), "merged across the runs");
        assertEquals(List.of("Remove the fixme line", "Remove the todo line"), report.proposals().stream()
                .map(p -> p.title()).sorted().toList(), "S's fix once, though both instances made it; B's");
        assertEquals(2, report.conflicts().size(), report.conflicts().toString());
        for (int i = 0; i < 2; i++) {
            Conflict c = report.conflicts().get(i);
            assertEquals(1, c.cycle());
            assertEquals("overlap", c.kind());
            assertTrue(c.resolution().contains("of " + agents.get(0) + " (severity high over low)"), c.resolution());
        }
        assertEquals(List.of(agents.get(0), agents.get(1)), report.conflicts().stream().map(Conflict::agentId)
                .sorted().toList(), "the second instance's fix set aside for the first one's");
        assertEquals(List.of(1L, 2L, 3L), io.harmonix.store.api.Rows.list(fx.db.dataSource(), "SELECT CYCLE FROM "
                + "WAVE_CYCLE WHERE WAVE_ID = ? ORDER BY CYCLE", r -> r.getLong(1), w.id()), "each cycle once");
    }

    @Test
    void eachCycleOfTheWaveRenewsItsInstancesLeases() throws Exception {
        fx.deployment.work = Duration.ofMillis(100);
        Wave w = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY,
                List.of("alpha", "beta", "gamma"), 30, Duration.ofMillis(100)));
        String agent = w.instances().get(0).agentId();
        java.time.Instant first = w.instances().get(0).leaseExpiry();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        java.time.Instant now = first;
        while (!now.isAfter(first) && System.nanoTime() < until) {
            Thread.sleep(50);
            now = fx.coordinator.leases.held(agent).get(0).expiresAt();
        }
        assertTrue(now.isAfter(first), "renewed after a cycle: " + first + " -> " + now);
        assertTrue(fx.engine.run(fx.runs(w).get(0)).orElseThrow().completedCycles() >= 1);
        fx.waves.stop(w.id());
    }

    @Test
    void aProposalMadeAgainNextCycleIsRecordedOnce() throws Exception {
        Wave w = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY,
                List.of("delta"), 3, Duration.ZERO));
        fx.awaitEnd(w.id());
        WaveReport report = fx.waves.report(w.id());
        assertEquals(1, report.proposals().size(), report + " " + fx.log + fx.engine.cycles(fx.runs(w).get(0), 0));
        assertEquals(1, report.proposals().get(0).cycle());
    }

    @Test
    void aRestartEndsTheWavesWhoseRunIsGoneAndLeaksNoConfiguration() throws Exception {
        fx.deployment.work = Duration.ofMillis(200);
        Wave w = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY, List.of(),
                1000, Duration.ofMillis(50)));
        assertEquals(5, fx.deployment.all().size());

        List<String> done = fx.restart();

        assertTrue(done.contains(w.id() + ": ended (its runs are gone)"), done.toString());
        Wave after = fx.waves.wave(w.id()).orElseThrow();
        assertEquals(WaveStatus.STOPPED, after.status());
        assertEquals("ended at restart: its runs are gone", after.message());
        assertEquals(List.of(), fx.deployment.all());
        assertEquals(List.of(), fx.coordinator.leases.onTarget(w.target()));
        assertEquals(List.of(), fx.waves.activeAgents());
    }

    @Test
    void aWaveWhoseRunWasInterruptedByARestartIsResumedAndCompletes(@TempDir Path other) throws Exception {
        try (WaveFixture journaled = WaveFixture.openJournaled(other, 4)) {
            Wave w = startedAndACycleIn(journaled);

            List<String> done = journaled.restart();

            assertEquals(List.of(w.id() + ": resumed (runs " + String.join(", ", journaled.runs(w)) + ")"), done);
            assertEquals(WaveStatus.RUNNING, journaled.waves.wave(w.id()).orElseThrow().status());
            assertEquals(3, journaled.deployment.all().size(), "its configurations kept");
            assertEquals(3, journaled.coordinator.leases.onTarget(w.target()).size(), "its leases kept");
            Wave ended = journaled.awaitEnd(w.id());
            assertEquals(WaveStatus.COMPLETED, ended.status(), ended.message());
            for (String run : journaled.runs(w)) {
                assertEquals(6, journaled.engine.run(run).orElseThrow().completedCycles());
            }
            assertEquals(List.of(), journaled.deployment.all());
            assertEquals(1, journaled.waves.report(w.id()).proposals().stream()
                    .filter(p -> p.title().equals("Remove the fixme line")).count(),
                    "the proposal made before and after the restart is recorded once");
        }
    }

    @Test
    void aStartInExecModeKeepsAnInterruptedWaveWithoutResumingItAndTheNextStartResumesIt(@TempDir Path other)
            throws Exception {
        try (WaveFixture journaled = WaveFixture.openJournaled(other, 4)) {
            Wave w = startedAndACycleIn(journaled);

            List<String> oneShot = journaled.restart(false);

            assertEquals(1, oneShot.size(), oneShot.toString());
            assertTrue(oneShot.get(0).startsWith(w.id() + ": kept (runs " + String.join(", ", journaled.runs(w))
                    + " are interrupted; they go on at the next start in run or shell mode"), oneShot.toString());
            Thread.sleep(500); // five cycles' worth: a run resumed would have gone on
            for (String run : journaled.runs(w)) {
                assertEquals(RunState.INTERRUPTED, journaled.engine.run(run).orElseThrow().state());
            }
            assertEquals(WaveStatus.RUNNING, journaled.waves.wave(w.id()).orElseThrow().status());
            assertEquals(3, journaled.deployment.all().size(), "its configurations kept");

            assertEquals(List.of(w.id() + ": resumed (runs " + String.join(", ", journaled.runs(w)) + ")"),
                    journaled.restart(true));
            assertEquals(WaveStatus.COMPLETED, journaled.awaitEnd(w.id()).status());
            for (String run : journaled.runs(w)) {
                assertEquals(6, journaled.engine.run(run).orElseThrow().completedCycles());
            }
        }
    }

    /**
     * Runs of a wave left interrupted (a start in exec mode resumed none), the wave ended since: the next start in
     * run mode does not resume them (the waves stop each when the runner asks them to prepare it), so none goes on
     * against a journal that has it stopped.
     */
    @Test
    void interruptedRunsOfAWaveThatEndedSinceAreNotResumedAtTheNextStart(@TempDir Path other) throws Exception {
        try (WaveFixture journaled = WaveFixture.openJournaled(other, 4)) {
            Wave w = journaled.waves.start(new WaveRequest(journaled.repo().toString(), WaveSize.SMALL,
                    Focus.QUALITY, List.of("alpha", "beta", "delta"), 50, Duration.ofMillis(50)));
            while (journaled.engine.run(journaled.runs(w).get(0)).orElseThrow().completedCycles() < 2) {
                Thread.sleep(20);
            }
            journaled.restart(false);
            java.util.Map<String, Long> cycles = new java.util.TreeMap<>();
            for (String run : journaled.runs(w)) {
                cycles.put(run, journaled.engine.run(run).orElseThrow().completedCycles());
            }
            journaled.coordinator.end(w.id(), WaveStatus.FAILED, "ended while its runs were interrupted");

            assertEquals(List.of(), journaled.engine.resumeInterrupted(Duration.ofSeconds(2)));

            Thread.sleep(300); // six cycles' worth: a run resumed would have gone on
            for (String run : journaled.runs(w)) {
                io.harmonix.runner.api.RunInfo r = journaled.engine.run(run).orElseThrow();
                assertEquals(RunState.STOPPED, r.state(), run);
                assertEquals(cycles.get(run), r.completedCycles(), run + " went no further");
            }
        }
    }

    /**
     * A wave still deploying (its run not started) may be another runtime's, waiting for its agents: a start leaves
     * it while it is younger than the agent wait, and ends it (its starter died) once it is older.
     */
    @Test
    void aStartLeavesAWaveDeployingForLessThanTheAgentWaitAndEndsAnOlderOne() throws Exception {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Wave young = new Wave("w-0000000a", fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY, List.of("alpha"),
                WaveStatus.DEPLOYING, List.of(), "wave-w-0000000a", 3, null, now, null, null);
        Wave old = new Wave("w-0000000b", fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY, List.of("beta"),
                WaveStatus.DEPLOYING, List.of(), "wave-w-0000000b", 3, null,
                now.minus(fx.settings.agentWait()).minusSeconds(1), null, null);
        fx.coordinator.store.insert(old, List.of());
        fx.coordinator.store.insert(young, List.of());

        List<String> done = fx.restart();

        assertEquals(List.of("w-0000000b: ended (its run is gone)", "w-0000000a: left (deploying, no run yet: "
                + "started " + young.startedAt() + ", maybe by another runtime)"), done);
        assertEquals(WaveStatus.DEPLOYING, fx.waves.wave("w-0000000a").orElseThrow().status());
        assertEquals(WaveStatus.STOPPED, fx.waves.wave("w-0000000b").orElseThrow().status());
    }

    @Test
    void aConfigurationOfAWaveNotRunningIsDeletedAtStart() throws Exception {
        fx.deployment.deploy("quality", "w-0badc0de-1", fx.repo().toString(), List.of("alpha"));
        fx.deployment.deploy("quality", "not-a-wave", fx.repo().toString(), List.of("alpha"));
        List<String> done = fx.restart();
        assertEquals(List.of("w-0badc0de-1: configuration deleted (wave not running)"), done);
        assertEquals(List.of("not-a-wave"), fx.deployment.all().stream().map(EngineDeployment.Config::name).toList(),
                "configurations that are not a wave's are not the coordinator's to delete");
    }

    @Test
    void aTargetThatCannotBeAnalysedIsRefusedSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fx.waves.start(
                WaveRequest.of(dir.resolve("nowhere").toString(), WaveSize.SMALL, Focus.QUALITY, List.of())));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fx.waves.start(WaveRequest.of(fx.repo().toString(),
                WaveSize.SMALL, Focus.QUALITY, List.of("zeta"))));
        assertTrue(e.getMessage().contains("unknown component 'zeta'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fx.waves.start(WaveRequest.of(fx.repo().toString(),
                WaveSize.INFINITE, null, List.of())));
        assertTrue(e.getMessage().contains("startInfinite"), e.getMessage());
        assertEquals(List.of(), fx.waves.waves(), "nothing recorded for a refused wave");
    }

    private static Conflict conflictAt(WaveReport report, String file) {
        return report.conflicts().stream().filter(c -> c.resolution().contains(" at " + file + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no conflict at " + file + ": " + report.conflicts()));
    }

    private static void assertOwnedOnce(List<AgentInstance> instances) {
        Set<String> seen = new HashSet<>();
        for (AgentInstance i : instances) {
            assertTrue(!i.components().isEmpty(), i + " owns nothing");
            for (String c : i.components()) {
                assertTrue(seen.add(c), c + " has two owners: " + instances);
            }
        }
    }

    /** @return a small wave of 6 cycles started on {@code journaled}, once its first run committed a cycle */
    private static Wave startedAndACycleIn(WaveFixture journaled) throws InterruptedException {
        journaled.deployment.work = Duration.ofMillis(100);
        Wave w = journaled.waves.start(new WaveRequest(journaled.repo().toString(), WaveSize.SMALL, Focus.QUALITY,
                List.of("alpha", "beta", "delta"), 6, Duration.ofMillis(100)));
        while (journaled.engine.run(journaled.runs(w).get(0)).orElseThrow().completedCycles() < 1) {
            Thread.sleep(20);
        }
        return w;
    }
}
