package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.RunState;
import io.harmonix.runner.internal.JournalGate;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport;
import io.harmonix.waves.api.WaveRequest;
import io.harmonix.waves.api.WaveSize;
import io.harmonix.waves.api.WaveStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtimes of one cluster sharing waves, as the runtime wires them, in one JVM over one real database (Derby, or
 * PostgreSQL with the store's test profile): the waves' tables, the run journal and the cluster's leases in it;
 * each runtime its own node, runner engine, wave coordinator and agent configurations (Configuration Admin is each
 * runtime's own: {@link EngineDeployment}). A wave's run is driven by the runtime holding its lease; when that runtime
 * dies, the runtime that takes the run over deploys the wave's agent instances first and the wave completes there,
 * every cycle once; a runtime that starts while another drives a wave leaves that wave to it.
 */
class SharedWavesTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final SharedDatabase shared = new SharedDatabase(() -> dir);

    /** One runtime of the cluster: what WavesComponent and RunnerComponent wire, without the framework. */
    private final class Runtime implements SharedDatabase.Runtime {
        final String node;
        final ClusterFixture member;
        final RunEngine engine;
        final EngineDeployment deployment;
        final Coordinator coordinator;
        final WaveCycles cycles;
        final WavesComponent waves;
        final List<String> log = new CopyOnWriteArrayList<>();
        boolean dead;

        /** The runs whose cycles this runtime committed. */
        final java.util.Set<String> drove = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Runtime(String node) throws Exception {
            this(node, new java.util.concurrent.atomic.AtomicBoolean());
        }

        /** @param cut while set, its runner's lease renewals and claims fail, as over a cut connection */
        Runtime(String node, java.util.concurrent.atomic.AtomicBoolean cut) throws Exception {
            this(node, cut, 0);
        }

        /** @param maxRuns the runner's capacity (0: no limit): a run beyond it is offered to the runtimes with room */
        Runtime(String node, java.util.concurrent.atomic.AtomicBoolean cut, int maxRuns) throws Exception {
            this.node = node;
            member = shared.join(node);
            JournalGate gate = new JournalGate();
            gate.set(shared.db().journal());
            engine = new RunEngine(new RunnerSettings(8, Duration.ofSeconds(30), 50, false, maxRuns,
                    Duration.ofMillis(200)), RunnerLog.console(), gate);
            engine.addListener(e -> {
                if (e.type() == io.harmonix.cycle.api.CycleEventType.CYCLE_COMPLETED) {
                    drove.add(e.runId());
                }
            }, "drove");
            engine.addRecorder(s -> { }); // the index's place
            deployment = new EngineDeployment(engine);
            deployment.work = Duration.ofMillis(20);
            WaveSettings settings = new WaveSettings(Duration.ofMinutes(15), Duration.ofSeconds(20), null, 8);
            coordinator = new Coordinator(new WaveStore(shared.dataSource()), deployment, engine,
                    () -> new Load(0.1, 0.1, 1), Map::of, settings, dir, Clock.systemUTC());
            coordinator.warnings(log::add);
            cycles = new WaveCycles(coordinator, new RunPace(), null, log::add);
            InfiniteMode infinite = new InfiniteMode(coordinator, log::add);
            waves = new WavesComponent(coordinator, cycles, infinite);
            engine.addListener(cycles, "waves");
            engine.addPreparer(waves);
            engine.shareRuns(cuttable(member.leases(), cut), node, false);
            shared.add(this);
        }

        @Override
        public boolean dead() {
            return dead;
        }

        /** A crash (kill -9): nothing is told, no lease released, its configurations stay where they were. */
        @Override
        public void kill() throws Exception {
            dead = true;
            engine.removeListener(cycles);
            engine.removePreparer(waves);
            waves.deactivate();
            member.close();
            engine.close(Duration.ofSeconds(5));
        }
    }

    private Wave start(Runtime on, List<String> components, int cycles, Duration interval) {
        return on.waves.start(new WaveRequest(shared.git().root().toString(), WaveSize.SMALL, Focus.QUALITY, components,
                cycles, interval));
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        SharedDatabase.await(() -> what, Duration.ofSeconds(60), done);
    }

    private List<Long> journaled(String runId) throws Exception {
        return shared.db().journal().cycles(runId, 0, Integer.MAX_VALUE).stream().map(CycleSnapshot::cycle).toList();
    }

    @Test
    void theRuntimeThatTakesAWaveOverFromOneThatDiedDeploysItsAgentsAndTheWaveCompletesThereEveryCycleOnce()
            throws Exception {
        Runtime a = new Runtime("node-a");
        Runtime b = new Runtime("node-b");
        Wave w = start(a, List.of("alpha", "beta", "delta"), 30, Duration.ofMillis(60));
        List<String> runs = runs(w);
        assertEquals(3, runs.size(), "one run per instance");
        await("a's wave went some cycles", () -> runs.stream().allMatch(r -> a.engine.run(r).orElseThrow()
                .completedCycles() >= 3));
        assertEquals(List.of(), b.deployment.all(), "the wave's agents are where its runs go only");

        a.kill();
        for (String run : runs) {
            long last = shared.db().journal().run(run).orElseThrow().lastCycle();
            assertTrue(last < 30, "killed in the middle: " + last);
        }

        await("b deployed the wave's three instances", () -> b.deployment.all().size() == 3);
        Wave ended = awaitEnd(b, w.id());
        assertEquals(WaveStatus.COMPLETED, ended.status(), ended.message());
        for (String run : runs) {
            assertEquals(RunState.COMPLETED, b.engine.run(run).orElseThrow().state());
            assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), journaled(run), "every cycle once");
        }
        assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), aggregated(w.id()),
                "every cycle of the wave aggregated once");
        assertTrue(b.deployment.engine.agents().isEmpty() && b.deployment.all().isEmpty(),
                "its configurations on b deleted at its end");
        assertEquals(List.of(), b.coordinator.leases.onTarget(w.target()), "its components free again");

        WaveReport report = b.waves.report(w.id());
        assertEquals(List.of(".git", "alpha/A.java", "alpha/A.java", "beta/B.java", "beta/B.java", "delta/d.py"),
                report.findings().stream().map(f -> f.file()).toList(), "each finding once: " + report.findings());
        assertEquals(30, report.findings().stream().mapToLong(f -> f.cycle()).max().orElseThrow(),
                "seen up to the last cycle, which b ran");
        assertEquals(report.proposals().size(), report.proposals().stream().map(p -> p.fingerprint()).distinct()
                .count(), "each proposal once");
        assertEquals(1, report.proposals().stream().filter(p -> p.title().equals("Remove the fixme line")).count());

        // a comes back (same node id, its configurations as it left them): the wave has ended, they go
        Runtime again = new Runtime("node-a");
        again.deployment.configs.putAll(a.deployment.configs);
        List<String> done = again.coordinator.recover(true);
        assertEquals(3, done.stream().filter(l -> l.endsWith(": configuration deleted (wave not running)")).count(),
                done.toString());
        assertEquals(List.of(), again.deployment.all());
    }

    /**
     * A runtime that starts while another drives a wave (its recovery at start) leaves the wave to it: no agent of
     * it deployed here, a configuration of it left here from before deleted, its run not resumed, and the next wave
     * recovered all the same (before, the first resume that failed with "held by another runtime" ended the
     * recovery); the waves go on and end in the runtime that drives them.
     */
    @Test
    void aRuntimeStartingWhileAnotherDrivesItsWavesLeavesThemToIt() throws Exception {
        Runtime a = new Runtime("node-a");
        Wave one = start(a, List.of("alpha"), 40, Duration.ofMillis(50));
        Wave two = start(a, List.of("beta"), 40, Duration.ofMillis(50));
        String oneRun = runs(one).get(0);
        String twoRun = runs(two).get(0);
        await("both going", () -> a.engine.run(twoRun).orElseThrow().completedCycles() >= 1);

        Runtime b = new Runtime("node-b");
        WaveStore.Instance stale = a.coordinator.store.instances(one.id()).get(0);
        b.deployment.deploy(stale.type(), stale.configName(), one.target(), stale.components());
        List<String> done = b.coordinator.recover(true);

        assertTrue(done.get(0).startsWith(one.id() + ": left to the runtime that drives run " + oneRun), done
                .toString());
        assertTrue(done.get(1).startsWith(two.id() + ": left to the runtime that drives run " + twoRun), done
                .toString());
        assertEquals(stale.configName() + ": configuration deleted (its wave goes on in another runtime)",
                done.get(2));
        assertEquals(3, done.size(), done.toString());
        assertEquals(List.of(), b.deployment.all());
        assertEquals(RunState.INTERRUPTED, b.engine.run(oneRun).orElseThrow().state(), "not driven by b");

        assertEquals(WaveStatus.COMPLETED, awaitEnd(a, one.id()).status());
        assertEquals(WaveStatus.COMPLETED, awaitEnd(a, two.id()).status());
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), journaled(oneRun));
        assertEquals(List.of(), b.deployment.all(), "b never made an agent of them");
    }

    /** {@code leases}, whose renewals fail and which claim nothing while {@code cut} is set. */
    private static io.harmonix.cluster.api.Leases cuttable(io.harmonix.cluster.api.Leases leases,
            java.util.concurrent.atomic.AtomicBoolean cut) {
        return (io.harmonix.cluster.api.Leases) java.lang.reflect.Proxy.newProxyInstance(
                SharedWavesTest.class.getClassLoader(), new Class<?>[] {io.harmonix.cluster.api.Leases.class},
                (proxy, method, args) -> {
                    if (cut.get() && method.getName().equals("renew")) {
                        throw new java.sql.SQLException("connection cut", "08006");
                    }
                    if (cut.get() && method.getName().equals("claimable")) {
                        return List.of();
                    }
                    try {
                        return method.invoke(leases, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The runtime driving a wave is cut off from its leases (not dead): another takes the run over after a lease,
     * deploying the wave's agents; the cut-off one stops the run without ending the wave, and deletes its own
     * configurations of it. The wave completes in the other, every cycle once.
     */
    @Test
    void aRuntimeThatLosesAWavesRunDeletesItsAgentsThereAndTheWaveGoesOnInTheOther() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime a = new Runtime("node-a", cut);
        Runtime b = new Runtime("node-b");
        Wave w = start(a, List.of("alpha", "beta", "delta"), 60, Duration.ofMillis(60));
        List<String> runs = runs(w);
        await("a's wave went some cycles", () -> runs.stream().allMatch(r -> a.engine.run(r).orElseThrow()
                .completedCycles() >= 3));

        cut.set(true);
        await("a let the runs go and deleted its configurations", () -> a.deployment.all().isEmpty());
        for (String run : runs) {
            assertTrue(a.engine.run(run).orElseThrow().state() != RunState.RUNNING, "a no longer drives it");
        }
        Wave ended = awaitEnd(b, w.id());
        assertEquals(WaveStatus.COMPLETED, ended.status(), "the wave was not ended by a's loss: " + ended.message());
        for (String run : runs) {
            assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), journaled(run), "every cycle once");
        }
        assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), aggregated(w.id()),
                "every cycle of the wave aggregated once");
        assertTrue(a.log.isEmpty(), "a's coordinator had nothing to complain of: " + a.log);
    }

    /**
     * {@code wave:stop} in a runtime that drives none of the wave's runs: the stop is recorded with the wave and the
     * command returns saying so; the runtime driving them stops them (within a second, before their next cycle of
     * 400 ms ends) and the wave ends, stopped, its configurations there deleted and its components free.
     */
    @Test
    void aWaveStoppedFromARuntimeThatDrivesNoneOfItsRunsStopsEverywhere() throws Exception {
        Runtime a = new Runtime("node-a");
        Runtime b = new Runtime("node-b");
        Wave w = start(a, List.of("alpha", "beta", "delta"), 200, Duration.ofMillis(400));
        List<String> runs = runs(w);
        await("a drives the wave's runs", () -> runs.stream().allMatch(r -> a.engine.run(r).orElseThrow()
                .completedCycles() >= 1));

        Wave asked = b.waves.stop(w.id());
        assertEquals(WaveStatus.RUNNING, asked.status(), "b drives none of its runs: it asked");
        assertTrue(asked.message().startsWith("stop requested at "), asked.message());
        assertEquals(List.of(), b.deployment.all());

        Wave ended = awaitEnd(a, w.id());
        assertEquals(WaveStatus.STOPPED, ended.status());
        assertEquals("stopped on request", ended.message());
        for (String run : runs) {
            assertEquals(RunState.STOPPED, a.engine.run(run).orElseThrow().state());
            assertTrue(shared.db().journal().run(run).orElseThrow().lastCycle() < 200, "stopped in the middle");
        }
        await("a deleted its configurations", () -> a.deployment.all().isEmpty());
        assertEquals(List.of(), a.coordinator.leases.onTarget(w.target()), "its components free again");
        assertEquals(WaveStatus.STOPPED, b.waves.wave(w.id()).orElseThrow().status(), "the same in b");
    }

    /**
     * A runtime that died while starting a wave's runs (one started, two not) left it deploying: a live runtime, once
     * the wave is older than its starter's agent wait could make it, starts the runs not started (deploying their
     * instances there), takes the started one over once its lease expires, and the wave completes, every cycle of
     * every run once, each cycle of the wave aggregated once.
     */
    @Test
    void aWaveLeftDeployingByARuntimeThatDiedGoesOnInALiveOne() throws Exception {
        Runtime a = new Runtime("node-a");
        Runtime b = new Runtime("node-b");
        String id = "w-0000beef";
        String target = shared.git().root().toString();
        List<String> components = List.of("alpha", "beta", "delta");
        List<WaveStore.Instance> instances = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            String name = id + "-" + n;
            instances.add(new WaveStore.Instance(AgentDeployment.agentId("quality", name), id, "quality", name,
                    List.of(components.get(n - 1)), "waiting for its agent", Coordinator.RUN_PREFIX + name));
        }
        // as Coordinator.start records it, started longer ago than its agent wait (20 s) and the slack
        a.coordinator.store.insert(new Wave(id, target, WaveSize.SMALL, Focus.QUALITY, components,
                WaveStatus.DEPLOYING, List.of(), Coordinator.RUN_PREFIX + id, 5, null,
                java.time.Instant.now().minusSeconds(40), null, null), instances);
        for (WaveStore.Instance in : instances) {
            assertTrue(a.coordinator.leases.claim(target, in.components().get(0), in.agentId(), id,
                    java.time.Instant.now(), Duration.ofMinutes(15)));
        }
        WaveStore.Instance first = instances.get(0);
        a.deployment.deploy("quality", first.configName(), target, first.components());
        a.engine.start(new io.harmonix.runner.api.RunRequest(first.runId(), List.of(first.agentId()), 5,
                Duration.ofMillis(100), null, null));
        a.kill(); // between its first run's start and the second's

        Wave ended = awaitEnd(b, id);
        assertEquals(WaveStatus.COMPLETED, ended.status(), ended.message());
        for (WaveStore.Instance in : instances) {
            assertEquals(RunState.COMPLETED, b.engine.run(in.runId()).orElseThrow().state(), in.runId());
            assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), journaled(in.runId()), "every cycle once");
        }
        assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), aggregated(id), "each cycle aggregated once");
        WaveReport report = b.waves.report(id);
        assertEquals(List.of(".git", "alpha/A.java", "alpha/A.java", "beta/B.java", "beta/B.java", "delta/d.py"),
                report.findings().stream().map(f -> f.file()).toList(), "each finding once: " + report.findings());
        assertEquals(3, report.findings().get(0).sources().size(), "the three runs' instances merged");
        assertTrue(b.deployment.all().isEmpty(), "its configurations on b deleted at its end");
    }

    /**
     * With the runner's capacity, a wave's runs spread: two runtimes with room for two runs each, a wave of four
     * instances started on one: it starts two and offers two, which the other claims (deploying their instances
     * there first). Both drove runs of the wave, and the wave comes to what the same wave on one runtime came to:
     * the same findings with the same sources, conflicts, proposals.
     */
    @Test
    void aWavesRunsSpreadOverTheRuntimesWithRoomAndComeToWhatOneRuntimeMakesOfThem() throws Exception {
        List<String> components = List.of("alpha", "beta", "delta", "gamma");
        Runtime solo = new Runtime("node-solo");
        Wave alone = start(solo, components, 8, Duration.ofMillis(100));
        assertEquals(4, alone.instances().size());
        assertEquals(WaveStatus.COMPLETED, awaitEnd(solo, alone.id()).status());
        assertTrue(solo.drove.containsAll(runs(alone)), "alone, one runtime drove them all");
        String oneRuntime = outcome(solo.waves.report(alone.id()));
        solo.kill();

        Runtime a = new Runtime("node-a", new java.util.concurrent.atomic.AtomicBoolean(), 2);
        Runtime b = new Runtime("node-b", new java.util.concurrent.atomic.AtomicBoolean(), 2);
        Wave w = start(a, components, 8, Duration.ofMillis(100));
        assertEquals(4, w.instances().size());
        Wave ended = awaitEnd(a, w.id());
        assertEquals(WaveStatus.COMPLETED, ended.status(), ended.message());
        java.util.Set<String> byA = new java.util.TreeSet<>(a.drove);
        java.util.Set<String> byB = new java.util.TreeSet<>(b.drove);
        assertTrue(!byA.isEmpty() && !byB.isEmpty(), "both drove runs of the wave: " + byA + " " + byB);
        java.util.Set<String> all = new java.util.TreeSet<>(byA);
        all.addAll(byB);
        assertEquals(new java.util.TreeSet<>(runs(w)), all);
        for (String run : runs(w)) {
            assertEquals(LongStream.rangeClosed(1, 8).boxed().toList(), journaled(run), "every cycle once");
        }
        assertEquals(LongStream.rangeClosed(1, 8).boxed().toList(), aggregated(w.id()), "each cycle once");
        assertEquals(oneRuntime, outcome(b.waves.report(w.id())), "the same outcome as on one runtime");
        await("their configurations deleted where they ran", () -> a.deployment.all().isEmpty()
                && b.deployment.all().isEmpty());
        assertEquals(List.of(), a.coordinator.leases.onTarget(w.target()), "its components free again");
    }

    /**
     * The runtime driving some of a wave's runs dies: those runs are taken over by the other once their leases
     * expire and it has room (its own two runs ended), their instances deployed there first; the wave completes with
     * every cycle of every run once, each cycle of the wave aggregated once, its findings and proposals once.
     */
    @Test
    void whenTheRuntimeDrivingSomeOfAWavesRunsDiesTheOtherTakesThoseRunsOverAndTheWaveCompletes() throws Exception {
        Runtime a = new Runtime("node-a", new java.util.concurrent.atomic.AtomicBoolean(), 2);
        Runtime b = new Runtime("node-b", new java.util.concurrent.atomic.AtomicBoolean(), 2);
        Wave w = start(a, List.of("alpha", "beta", "delta", "gamma"), 30, Duration.ofMillis(60));
        await("b claimed the two runs a offered and went some cycles", () -> b.drove.size() == 2 && b.drove.stream()
                .allMatch(r -> b.engine.run(r).orElseThrow().completedCycles() >= 3));
        List<String> ofB = List.copyOf(b.drove);

        b.kill();
        for (String run : ofB) {
            assertTrue(shared.db().journal().run(run).orElseThrow().lastCycle() < 30, "killed in the middle");
        }
        Wave ended = awaitEnd(a, w.id());
        assertEquals(WaveStatus.COMPLETED, ended.status(), ended.message());
        assertTrue(a.drove.containsAll(ofB), "a took b's runs over: " + a.drove);
        for (String run : runs(w)) {
            assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), journaled(run), "every cycle once");
        }
        assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), aggregated(w.id()), "each cycle once");
        WaveReport report = a.waves.report(w.id());
        assertEquals(List.of(".git", "alpha/A.java", "alpha/A.java", "beta/B.java", "beta/B.java", "delta/d.py",
                "gamma/stray.txt"), report.findings().stream().map(f -> f.file()).toList(), "each finding once");
        assertEquals(4, report.findings().get(0).sources().size(), "the four runs' instances merged");
        assertEquals(report.proposals().size(), report.proposals().stream().map(p -> p.fingerprint()).distinct()
                .count(), "each proposal once");
        await("a deleted its configurations", () -> a.deployment.all().isEmpty());
    }

    /**
     * Configuration Admin refusing to delete, on the runtime that started a wave, the configuration of a run offered
     * to another runtime is told and does not touch the wave: its runs go on and it completes (the idle agent left
     * there goes at that runtime's next start).
     */
    @Test
    void aConfigurationThatCannotBeDeletedBesideAWaveIsToldAndTheWaveCompletes() throws Exception {
        Runtime a = new Runtime("node-a", new java.util.concurrent.atomic.AtomicBoolean(), 1);
        Runtime b = new Runtime("node-b", new java.util.concurrent.atomic.AtomicBoolean(), 2);
        a.deployment.failNextRemove.set(true);

        Wave w = start(a, List.of("alpha", "beta", "delta"), 5, Duration.ofMillis(50));

        assertTrue(a.log.stream().anyMatch(l -> l.startsWith("wave " + w.id() + ": the configuration of ")
                && l.endsWith("could not be deleted here: the configuration " + "quality~" + w.id() + "-2 could not "
                + "be deleted: Configuration Admin's store refused the write")), a.log.toString());
        Wave ended = awaitEnd(a, w.id());
        assertEquals(WaveStatus.COMPLETED, ended.status(), ended.message());
        for (String run : runs(w)) {
            assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), journaled(run), "every cycle once");
        }
    }

    /**
     * A wave that ends while runs of it are offered, not yet claimed (its deployment failed after its runs started,
     * and the failure ended it): a runtime with room that claims such a run stops it instead of preparing it, and
     * one driving a run of it stops that run at its next cycle. Nothing of the wave goes on anywhere; before, each
     * claim found no agent for the run and left it for the next claim, for good.
     */
    @Test
    void theRunsOfAWaveThatEndedWhileTheyWereOfferedAreStoppedNotDriven() throws Exception {
        Runtime a = new Runtime("node-a", new java.util.concurrent.atomic.AtomicBoolean(), 1);
        Wave w = start(a, List.of("alpha", "beta", "delta"), 200, Duration.ofMillis(50));
        List<String> runs = runs(w);
        await("two runs offered, one going on a", () -> a.engine.run(runs.get(1)).orElseThrow().state()
                == RunState.OFFERED && a.engine.run(runs.get(0)).orElseThrow().completedCycles() >= 1);

        a.coordinator.end(w.id(), WaveStatus.FAILED, "could not be deployed: (as Coordinator.deploy ends it)");
        Runtime b = new Runtime("node-b", new java.util.concurrent.atomic.AtomicBoolean(), 2);

        await("every run of the ended wave ended", () -> runs.stream().allMatch(r -> a.engine.run(r)
                .orElseThrow().state().finished()));
        for (String run : runs) {
            assertEquals(RunState.STOPPED, a.engine.run(run).orElseThrow().state(), run);
            assertTrue(shared.db().journal().run(run).orElseThrow().lastCycle() < 200, run + " went no further");
        }
        Thread.sleep(1_000); // five claim intervals: a run left offered would be claimed and left again
        assertEquals(java.util.Set.of(), b.drove, "b drove none of them");
        assertEquals(List.of(), b.deployment.all(), "nothing of the wave deployed on b");
        await("a deleted its configurations", () -> a.deployment.all().isEmpty());
    }

    /** A wave's report with its id and its agents' wave ids left out: what two waves of one plan can share. */
    private static String outcome(WaveReport r) {
        String id = r.wave().id();
        StringBuilder out = new StringBuilder();
        r.findings().forEach(f -> out.append(f.file()).append(':').append(f.line()).append(' ').append(f.ruleId())
                .append(' ').append(f.sources()).append(" cycle ").append(f.cycle()).append('\n'));
        r.conflicts().forEach(c -> out.append(c).append('\n'));
        r.proposals().forEach(p -> out.append(p.cycle()).append(' ').append(p.fingerprint()).append(' ')
                .append(p.agentId()).append(' ').append(p.title()).append(' ').append(p.status()).append('\n'));
        return out.toString().replace(id, "W");
    }

    private static List<String> runs(Wave w) {
        return w.instances().stream().map(i -> i.runId()).toList();
    }

    /** @return the cycles of the wave aggregated, in order, each as often as recorded */
    private List<Long> aggregated(String waveId) throws Exception {
        return io.harmonix.store.api.Rows.list(shared.dataSource(), "SELECT CYCLE FROM WAVE_CYCLE WHERE "
                + "WAVE_ID = ? ORDER BY CYCLE", r -> r.getLong(1), waveId);
    }

    private static Wave awaitEnd(Runtime on, String waveId) throws InterruptedException {
        await("wave " + waveId + " ended", () -> on.waves.wave(waveId).orElseThrow().status().ended());
        return on.waves.wave(waveId).orElseThrow();
    }
}
