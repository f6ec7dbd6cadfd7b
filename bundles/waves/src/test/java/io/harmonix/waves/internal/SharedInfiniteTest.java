package io.harmonix.waves.internal;

import io.harmonix.cluster.api.LeaderLease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.waves.api.InfiniteRequest;
import io.harmonix.waves.api.InfiniteSeries;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtimes of one cluster sharing infinite-mode series, in one JVM over one real database (the waves' tables and the
 * cluster's leases in it), each its own node, runner engine, coordinator and agents, wired as WavesComponent wires
 * them with a cluster node: only the runtime holding the lease {@value SeriesLeadership#KEY} ticks the series.
 */
class SharedInfiniteTest {
    private static final Duration LEASE = SharedDatabase.LEASE;
    private static final Duration RENEW = SharedDatabase.RENEW;
    private static final Duration INTERVAL = Duration.ofMillis(400);
    /** Half the machine free: a throttle of 4 allows 2 instances. */
    private static final Load HALF = new Load(0.75, 0.2, 1.0);
    private static final Load IDLE = new Load(0.1, 0.1, 1.0);

    @TempDir
    Path dir;

    @RegisterExtension
    final SharedDatabase shared = new SharedDatabase(() -> dir);

    /** One runtime: what WavesComponent wires when the cluster bundle publishes its node. */
    private final class Runtime implements SharedDatabase.Runtime {
        final ClusterFixture member;
        final RunEngine engine;
        final Coordinator coordinator;
        final InfiniteMode infinite;
        final WaveCycles cycles;
        final WavesComponent waves;
        final List<String> log = new CopyOnWriteArrayList<>();
        boolean dead;

        /** The machine's load as this runtime reads it. */
        final java.util.concurrent.atomic.AtomicReference<Load> load;

        Runtime(String node, Load load) throws Exception {
            this(node, load, null);
        }

        /**
         * @param nodeLate null: the node is bound before the series resume (as in the tests that wire by hand);
         *     else the activation's order: the recovery on the ticks' thread, the node published that much later
         */
        Runtime(String node, Load load, Duration nodeLate) throws Exception {
            this.load = new java.util.concurrent.atomic.AtomicReference<>(load);
            member = shared.join(node);
            engine = new RunEngine(new RunnerSettings(8, Duration.ofSeconds(30), 50, false), RunnerLog.console());
            EngineDeployment deployment = new EngineDeployment(engine);
            deployment.work = Duration.ofSeconds(2); // an infinite wave's 3 cycles outlast the test's ticks
            coordinator = new Coordinator(new WaveStore(shared.dataSource()), deployment, engine, this.load::get,
                    Map::of, new WaveSettings(Duration.ofMinutes(15), Duration.ofSeconds(20), null, 8), dir,
                    Clock.systemUTC());
            infinite = new InfiniteMode(coordinator, log::add);
            cycles = new WaveCycles(coordinator, new RunPace(), null, log::add);
            waves = new WavesComponent(coordinator, cycles, infinite);
            engine.addListener(cycles, "waves");
            if (nodeLate != null) {
                infinite.recoverThenResume(log::add, false, () -> true); // the cluster bundle is active
                Thread.sleep(nodeLate.toMillis());
            }
            LeaderLease l = SeriesLeadership.of(member.leases(), node, log::add, infinite::adoptSoon,
                    infinite::standBy);
            infinite.lead(l);
            l.start();
            if (nodeLate == null) {
                infinite.resume();
            }
            shared.add(this);
        }

        @Override
        public boolean dead() {
            return dead;
        }

        /** A crash (kill -9): no lease released, no hand-over; its ticks and its runs end with it. */
        @Override
        public void kill() throws Exception {
            dead = true;
            engine.removeListener(cycles); // a crash tells no one: the end of its runs is not seen
            member.close();
            waves.deactivate();
            engine.close(Duration.ofSeconds(5));
        }
    }

    private static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        await(() -> what, within, done);
    }

    private static void await(java.util.function.Supplier<String> what, Duration within, BooleanSupplier done)
            throws InterruptedException {
        SharedDatabase.await(what, within, done);
    }

    private static List<Wave> waves(Runtime on, InfiniteSeries s) {
        return on.infinite.series(s.id()).waves().stream().map(id -> on.waves.wave(id).orElseThrow()).toList();
    }

    @Test
    void onlyTheLeaderTicksASeriesAndAnotherRuntimeTakesItOverWithinALeaseOfTheLeadersDeath() throws Exception {
        Runtime a = new Runtime("node-a", HALF);
        Runtime b = new Runtime("node-b", IDLE); // b would find room for a second wave where a finds none
        assertTrue(a.infinite.leads(), "the first runtime leads");
        assertFalse(b.infinite.leads(), "the second stands by");

        // started in the runtime that stands by: a row in the database, which the leader adopts
        InfiniteSeries s = b.waves.startInfinite(new InfiniteRequest(shared.git().root().toString(), 4, INTERVAL));
        assertEquals(List.of(), s.waves(), "no wave started by the runtime that stands by");
        assertTrue(s.lastDecision().startsWith("left to node node-a, which ticks the infinite-mode series"),
                s.lastDecision());
        await("the leader started the series' first wave", Duration.ofSeconds(20), () -> waves(a, s).size() == 1);
        Wave first = waves(a, s).get(0);
        assertEquals(2, first.instances().size(), "a's half capacity: 2 of the throttle's 4");
        String firstRun = first.instances().get(0).runId();
        await("its runs go in the leader", Duration.ofSeconds(20), () -> a.engine.run(firstRun).isPresent());
        assertTrue(b.engine.run(firstRun).isEmpty(), "and not in b");

        // several ticks of a's, which find no room, and a tick of b's own, which would find room (and then every
        // component owned by a's wave): it does nothing at all
        Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
        String decision = b.infinite.series(s.id()).lastDecision();
        assertTrue(decision.startsWith("node node-a: no room: 2 instances running, 2 allowed"), decision);
        b.infinite.tick(s.id());
        assertEquals(decision, b.infinite.series(s.id()).lastDecision(), "no decision of b's");
        assertEquals(List.of(), b.log.stream().filter(l -> l.contains("tick")).toList(), "b ticked nothing");
        assertEquals(List.of(first.id()), waves(b, s).stream().map(Wave::id).toList(), "one wave: no step twice");
        b.load.set(HALF); // from now on b finds what a found

        a.kill();
        long killed = System.nanoTime();
        // b leads once a's lease has expired (a lease at most, and a renew interval for its next claim), and ticks
        // the series at once; a's wave stays running in the database (taking its run over is the runner's, with a
        // shared run: SharedWavesTest), so b finds no room
        await(() -> "b took the series over: " + b.infinite.series(s.id()).lastDecision() + "; " + b.log,
                LEASE.multipliedBy(3), () -> b.infinite.series(s.id()).lastDecision().startsWith("node node-b: "));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(took.compareTo(LEASE.plus(RENEW).plus(INTERVAL).plus(Duration.ofSeconds(1))) < 0,
                "within a lease and a renew interval (and a second for this machine): " + took);
        assertTrue(b.infinite.series(s.id()).lastDecision().startsWith(
                "node node-b: no room: 2 instances running, 2 allowed"), b.infinite.series(s.id()).lastDecision());
        assertTrue(b.log.contains("node node-b ticks the infinite-mode series (lease waves:infinite)"),
                b.log.toString());
        assertEquals(List.of(first.id()), waves(b, s).stream().map(Wave::id).toList(), "no wave started twice");
        assertEquals(WaveStatus.STOPPED, b.waves.stopInfinite(s.id()).status());
    }

    /**
     * A runtime starting while another leads: its series resume only once its node is bound, so that it never ticks
     * them as if alone in between (it would have found room where the leader, at full load, finds none).
     */
    @Test
    void aRuntimeStartingWhileAnotherLeadsTicksNoSeriesBeforeItsNodeIsBound() throws Exception {
        Runtime a = new Runtime("node-a", new Load(1.3, 0.2, 1.0)); // no capacity: no room
        InfiniteSeries s = a.waves.startInfinite(new InfiniteRequest(shared.git().root().toString(), 4, INTERVAL));
        assertEquals(List.of(), s.waves());
        assertTrue(s.lastDecision().startsWith("node node-a: no room: 0 instances running, 0 allowed"),
                s.lastDecision());

        Runtime b = new Runtime("node-b", IDLE, Duration.ofMillis(600));
        Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
        assertFalse(b.infinite.leads());
        assertEquals(List.of(), b.log.stream().filter(l -> l.contains("tick")).toList(), "b ticked nothing");
        assertEquals(List.of(), a.infinite.series(s.id()).waves(), "no wave: only a ticks, and finds no room");
        assertTrue(a.infinite.series(s.id()).lastDecision().startsWith("node node-a: no room"),
                a.infinite.series(s.id()).lastDecision());
    }
}
