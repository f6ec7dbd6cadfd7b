package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.AgentResult;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.waves.api.InfiniteRequest;
import io.harmonix.waves.api.InfiniteSeries;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveSize;
import io.harmonix.waves.api.WaveStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfiniteModeTest {
    private static final Load IDLE = new Load(0.1, 0.05, 1.0);
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    @Test
    void capacityFallsWithLoadCpuAndTheSlowdownOfOtherRunsBeforeTheMachineIsSaturated() {
        assertEquals(1.0, IDLE.capacity(), 1e-9);
        assertEquals(0.5, new Load(0.75, 0.1, 1).capacity(), 1e-9, "load average 0.75 per core");
        assertEquals(0.0, new Load(1.2, 0.1, 1).capacity(), 1e-9, "more runnable work than cores");
        assertEquals(0.0, new Load(0.1, 0.9, 1).capacity(), 1e-9, "this process uses 90% of the machine");
        assertEquals(0.5, new Load(0.1, 0.1, 1.6).capacity(), 1e-9, "other runs' cycles take 1.6x their usual");
        assertEquals(1.0, new Load(-1, -1, 1).capacity(), 1e-9, "unknown readings do not hold waves back");
        Load machine = Load.machine(() -> 1.0).read();
        assertTrue(machine.processCpu() <= 1.0 && machine.loadPerCore() >= -1, machine.toString());
    }

    @Test
    void wavesAreThrottledByTheLoadAndNeverExceedTheThrottle() throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 8)) {
            fx.deployment.work = Duration.ofMillis(400);
            fx.load.set(IDLE);
            InfiniteSeries s = fx.waves.startInfinite(new InfiniteRequest(fx.repo().toString(), 5, HOUR));
            assertEquals(1, s.waves().size());
            Wave first = fx.waves.wave(s.waves().get(0)).orElseThrow();
            assertEquals(WaveSize.INFINITE, first.size());
            assertEquals(5, first.instances().size(), "the throttle, at full capacity");
            assertEquals(s.id(), first.series());

            fx.infinite.tick(s.id());
            InfiniteSeries full = fx.infinite.series(s.id());
            assertEquals(1, full.waves().size(), "no second wave while 5 instances run");
            assertTrue(full.lastDecision().startsWith("no room: 5 instances running, 5 allowed"), full.lastDecision());
            fx.awaitEnd(first.id());

            fx.load.set(new Load(1.3, 0.2, 1.0)); // a synthetic load: more runnable work than cores
            fx.infinite.tick(s.id());
            InfiniteSeries loaded = fx.infinite.series(s.id());
            assertEquals(1, loaded.waves().size());
            assertTrue(loaded.lastDecision().contains("0 allowed (throttle 5, capacity 0%"), loaded.lastDecision());

            fx.load.set(new Load(0.75, 0.2, 1.0)); // half the capacity
            fx.infinite.tick(s.id());
            InfiniteSeries half = fx.infinite.series(s.id());
            assertEquals(2, half.waves().size());
            Wave second = fx.waves.wave(half.waves().get(0)).orElseThrow();
            assertEquals(2, second.instances().size(), "floor(5 x 0.5)");
            fx.waves.stopInfinite(s.id());
        }
    }

    @Test
    void whenTheLoadRisesTheRunningWaveIsReplacedByASmallerOneAndByNoneAtFullLoad() throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 8)) {
            // cycles of 2 s: the waves still run when the load rises, however slow the machine is
            fx.deployment.work = Duration.ofSeconds(2);
            fx.load.set(IDLE);
            InfiniteSeries s = fx.waves.startInfinite(new InfiniteRequest(fx.repo().toString(), 4, HOUR));
            Wave first = fx.waves.wave(s.waves().get(0)).orElseThrow();
            assertEquals(4, first.instances().size());

            fx.infinite.tick(s.id());
            assertTrue(fx.infinite.series(s.id()).lastDecision().startsWith("no room: 4 instances running, 4 "
                    + "allowed"), "the control: at the same load nothing is stopped");
            assertEquals(WaveStatus.RUNNING, fx.waves.wave(first.id()).orElseThrow().status());

            fx.load.set(new Load(0.75, 0.2, 1.0)); // the load rises: half the capacity, floor(4 x 0.5) = 2 allowed
            fx.infinite.tick(s.id());
            InfiniteSeries shrunk = fx.infinite.series(s.id());
            assertTrue(shrunk.lastDecision().startsWith("shrunk: stopped " + first.id() + " (4 instances); 4 "
                    + "instances were running, 2 allowed now (capacity 50%); started "), shrunk.lastDecision());
            assertEquals(WaveStatus.STOPPED, fx.waves.wave(first.id()).orElseThrow().status());
            Wave smaller = fx.waves.wave(shrunk.waves().get(0)).orElseThrow();
            assertEquals(2, smaller.instances().size(), "over the components the stopped wave freed");
            assertEquals(2, fx.waves.activeAgents().size());
            assertTrue(fx.deployment.all().stream().noneMatch(c -> c.name().startsWith(first.id())),
                    "the stopped wave's instances are gone");

            fx.load.set(new Load(1.3, 0.2, 1.0)); // no capacity at all: the last wave goes too, none comes
            fx.infinite.tick(s.id());
            String none = fx.infinite.series(s.id()).lastDecision();
            assertTrue(none.startsWith("shrunk: stopped " + smaller.id() + " (2 instances)") && none.contains(
                    "; no room: 0 instances running, 0 allowed"), none);
            assertEquals(List.of(), fx.waves.activeAgents());
            assertEquals(WaveStatus.RUNNING, fx.infinite.series(s.id()).status(), "the series itself goes on");
            fx.waves.stopInfinite(s.id());
        }
    }

    @Test
    void stoppingASeriesStopsItsWaveAndItsTicks() throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 8)) {
            fx.deployment.work = Duration.ofMillis(300);
            InfiniteSeries s = fx.waves.startInfinite(new InfiniteRequest(fx.repo().toString(), 3,
                    Duration.ofMillis(200)));
            Wave running = fx.waves.wave(s.waves().get(0)).orElseThrow();

            InfiniteSeries stopped = fx.waves.stopInfinite(s.id());
            assertEquals(WaveStatus.STOPPED, stopped.status());
            assertTrue(stopped.endedAt() != null);
            assertEquals(WaveStatus.STOPPED, fx.waves.wave(running.id()).orElseThrow().status());
            assertEquals(List.of(), fx.deployment.all());
            assertEquals(List.of(), fx.waves.activeAgents());
            int waves = stopped.waves().size();
            Thread.sleep(600); // three intervals: a tick that still came would start a wave
            fx.infinite.tick(s.id());
            assertEquals(waves, fx.infinite.series(s.id()).waves().size());
            assertThrows(IllegalArgumentException.class, () -> fx.waves.stopInfinite("s-00000000"));
        }
    }

    @Test
    void aSeriesGoesOnAfterARestart() throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 8)) {
            fx.deployment.work = Duration.ofMillis(300);
            InfiniteSeries s = fx.waves.startInfinite(new InfiniteRequest(fx.repo().toString(), 2, HOUR));
            String before = s.waves().get(0);

            List<String> recovered = fx.restart();

            assertTrue(recovered.contains(before + ": ended (its runs are gone)"), recovered.toString());
            InfiniteSeries after = awaitWaves(fx, s.id(), 2);
            assertEquals(WaveStatus.RUNNING, after.status());
            Wave next = fx.waves.wave(after.waves().get(0)).orElseThrow();
            assertEquals(2, next.instances().size());
            fx.waves.stopInfinite(s.id());
        }
    }

    @Test
    void anotherRunBesideInfiniteModeFindsAFreeThreadOfTheRunner() throws Exception {
        assertEquals(0, besideInfiniteMode(3), "told the pool: instances leave a thread to the other run");
    }

    @Test
    void besideInfiniteModeThatIgnoredThePoolTheOtherRunWouldStarve() throws Exception {
        // the control: the same, the coordinator told of a bigger pool than the runner has
        assertTrue(besideInfiniteMode(8) > 0, "instances filling the pool delay the other run past its deadline");
    }

    /** @return entries of the other run that failed or timed out, infinite mode going beside it on a 3-thread pool */
    private long besideInfiniteMode(int poolKnown) throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 3, poolKnown)) {
            fx.deployment.work = Duration.ofMillis(1500);
            InfiniteSeries s = fx.waves.startInfinite(new InfiniteRequest(fx.repo().toString(), 5, HOUR));
            assertEquals(Math.min(5, poolKnown - 1), fx.waves.wave(s.waves().get(0)).orElseThrow().instances().size());
            fx.engine.addAgent(new AgentInfo("steady", "steady", 1, "test"), c -> AgentResult.of(null), 1);
            RunInfo other = fx.engine.start(new RunRequest("steady-run", List.of("steady"), 8,
                    Duration.ofMillis(100), Duration.ofSeconds(1), null));
            RunInfo done = fx.engine.await(other.runId(), Duration.ofMinutes(1));
            assertEquals(RunState.COMPLETED, done.state());
            fx.waves.stopInfinite(s.id());
            assertNull(fx.waves.activeAgents().stream().findFirst().orElse(null));
            return done.failedEntries();
        }
    }

    private static InfiniteSeries awaitWaves(WaveFixture fx, String id, int n) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            InfiniteSeries s = fx.infinite.series(id);
            if (s.waves().size() >= n) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("series " + id + " has not " + n + " waves: " + fx.infinite.series(id) + fx.log);
    }
}
