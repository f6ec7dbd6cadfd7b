package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.api.Leases;
import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners, each its own node of the cluster, over one real Derby database and its run journal: a run is driven
 * by the one runner holding its lease ({@code run:ID}); the other neither resumes it at its start nor claims it while
 * its owner lives; when the owner goes away abruptly, the other takes the run over once its lease expires and goes
 * on at the next cycle, no cycle twice, none lost (the chain agent's state proves both).
 */
class SharedRunsTest {
    private static final Duration LEASE = RunnersOnOneDatabase.LEASE;
    private static final Duration RENEW = RunnersOnOneDatabase.RENEW;
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final RunnersOnOneDatabase shared = new RunnersOnOneDatabase(() -> dir,
            id -> id.equals("chain") ? DurableRunTest.CHAIN : null);
    /**
     * The cycles each runner handed its index, in order. A resumed run hands its last two committed cycles over again
     * first (the index keeps them once: see RunRecovery.UNSYNCED_RECORDS); beyond those, what one runner committed.
     */
    private final Map<String, List<Long>> recorded = new ConcurrentHashMap<>();

    /** A runner of its own node, its runs shared by lease with the other runners of the database. */
    private RunEngine runner(String node) throws Exception {
        return runner(node, l -> l);
    }

    /** @param reach the node's leases as the runner reaches them (a test cuts them off) */
    private RunEngine runner(String node, java.util.function.UnaryOperator<Leases> reach) throws Exception {
        return runner(node, reach, true);
    }

    /** @param withAgent whether the runner has the chain agent from the start */
    private RunEngine runner(String node, java.util.function.UnaryOperator<Leases> reach, boolean withAgent)
            throws Exception {
        ClusterFixture member = shared.join(node);
        RunEngine e = shared.runner(new RunnerSettings(4, Duration.ofSeconds(10), 5, true));
        if (withAgent) {
            e.addAgent(new AgentInfo("chain", "test", 1, "test"), DurableRunTest.CHAIN, 1);
        }
        e.addRecorder(s -> recorded.computeIfAbsent(node, n -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(s.cycle()));
        e.shareRuns(reach.apply(member.leases()), node, false);
        return e;
    }

    private static void awaitCycle(RunEngine e, String run, long cycle) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (e.run(run).orElseThrow().completedCycles() < cycle) {
            assertTrue(System.nanoTime() < end, "run " + run + " reached cycle " + cycle);
            Thread.sleep(5);
        }
    }

    private String owner(String run) throws Exception {
        return shared.nodes().get(0).leases().list().stream().filter(l -> l.key().equals(RunLeases.key(run)))
                .map(LeaseInfo::owner).findFirst().orElse(null);
    }

    @Test
    void aRunGoesOnlyWhereItsLeaseIsAndTheOtherRunnerNeitherResumesNorClaimsIt() throws Exception {
        RunEngine a = runner("node-a");
        a.start(new RunRequest("r", List.of("chain"), 40, Duration.ofMillis(40), null, null));
        awaitCycle(a, "r", 2);
        assertEquals("node-a", owner("r"));

        RunEngine b = runner("node-b");
        assertEquals(List.of(), b.resumeInterrupted(), "the journal says r is going: its lease says where");
        IllegalArgumentException there = assertThrows(IllegalArgumentException.class, () -> b.resume("r"));
        assertEquals("run 'r' is held by another runtime of the cluster (cluster:leases shows which): run the "
                + "command there", there.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.stop("r"));

        assertEquals(RunState.COMPLETED, a.await("r", LONG).state());
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), journaled("r"));
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), recorded.get("node-a"));
        assertEquals(null, recorded.get("node-b"), "node-b ran nothing");
        assertEquals(DurableRunTest.expectedChain(40), shared.db().states().latest("chain", "r").orElseThrow().payload()
                .asLong());
        assertEquals(null, owner("r"), "the lease ended with the run");
    }

    @Test
    void theRunOfARunnerThatGoesAwayIsTakenOverAfterItsLeaseAndGoesOnAtTheNextCycle() throws Exception {
        RunEngine a = runner("node-a");
        RunEngine b = runner("node-b");
        a.start(new RunRequest("r", List.of("chain"), 60, Duration.ofMillis(30), null, null));
        awaitCycle(a, "r", 5);

        // node-a goes away abruptly: no renewal, no heartbeat; the journal keeps r going, its lease stays and expires
        long gone = System.nanoTime();
        shared.nodes().get(0).close();
        a.close(Duration.ofSeconds(5));
        long last = shared.db().journal().run("r").orElseThrow().lastCycle();
        assertEquals("running", shared.db().journal().run("r").orElseThrow().state());

        awaitCycle(b, "r", last + 1);
        long tookOver = (System.nanoTime() - gone) / 1_000_000;
        assertTrue(tookOver < LEASE.toMillis() + 3 * RENEW.toMillis() + 2_000, "taken over within a lease and a "
                + "claim interval: " + tookOver + " ms");
        assertEquals("node-b", owner("r"));
        assertEquals(RunState.COMPLETED, b.await("r", LONG).state());

        assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), journaled("r"), "no cycle twice, none lost");
        assertEquals(DurableRunTest.expectedChain(60), shared.db().states().latest("chain", "r").orElseThrow().payload()
                .asLong());
        assertEquals(LongStream.rangeClosed(1, last).boxed().toList(), recorded.get("node-a"));
        assertEquals(LongStream.rangeClosed(last - 1, 60).boxed().toList(), recorded.get("node-b"),
                "node-b hands its index the last two cycles of node-a again, then goes on at the next one");
        assertEquals(null, owner("r"));
    }

    /**
     * A run taken over from a runtime that died resumes only where its agents are: node-b has none of the run's, and
     * leaves the run it claims (its lease expires again) until a preparer comes that makes them (as the waves bundle
     * deploys a wave's agent instances); then the run goes on there at the next cycle, with every cycle once.
     */
    @Test
    void aRunTakenOverWaitsForItsPreparerToMakeItsAgentsHereAndGoesOnWithEveryCycleOnce() throws Exception {
        RunEngine a = runner("node-a");
        RunEngine b = runner("node-b", l -> l, false);
        a.start(new RunRequest("r", List.of("chain"), 30, Duration.ofMillis(30), null, null));
        awaitCycle(a, "r", 3);
        shared.nodes().get(0).close();
        a.close(Duration.ofSeconds(5));
        long last = shared.db().journal().run("r").orElseThrow().lastCycle();

        // past a lease, a claim, and its 5 s wait for the agent: node-b claimed the run and left it
        Thread.sleep(LEASE.toMillis() + 3 * RENEW.toMillis() + 6_000);
        assertEquals(RunState.INTERRUPTED, b.run("r").orElseThrow().state(), "not resumed without its agent");
        assertEquals(last, shared.db().journal().run("r").orElseThrow().lastCycle(), "no cycle without its agent");

        List<String> prepared = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.addPreparer(new io.harmonix.runner.api.RunPreparer() {
            @Override
            public void prepare(String runId) {
                prepared.add(runId);
                b.addAgent(new AgentInfo("chain", "test", 1, "test"), DurableRunTest.CHAIN, 2);
            }

            @Override
            public void released(String runId) {
            }
        });
        assertEquals(RunState.COMPLETED, awaitFinished(b, "r").state());
        assertEquals(List.of("r"), prepared, "prepared once, before it resumed");
        assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), journaled("r"), "no cycle twice, none lost");
        assertEquals(DurableRunTest.expectedChain(30), shared.db().states().latest("chain", "r").orElseThrow().payload()
                .asLong());
        assertEquals(null, owner("r"));
    }

    /** Waits until the run is finished in this runner's view (it may go on here only after a claim). */
    private static io.harmonix.runner.api.RunInfo awaitFinished(RunEngine e, String run) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (!e.run(run).orElseThrow().state().finished()) {
            assertTrue(System.nanoTime() < end, "run " + run + " finished");
            Thread.sleep(10);
        }
        return e.run(run).orElseThrow();
    }

    /**
     * A single runtime whose database (its lease table) is away for longer than a lease goes on with its run: no
     * other node was alive, so nobody could have taken it; before, it stopped the run after a lease.
     */
    @Test
    void aClusterOfOneKeepsItsRunThroughAnOutageOfItsLeasesLongerThanALease() throws Exception {
        ClusterFixture member = shared.join("solo");
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunnerLog console = RunnerLog.console();
        RunnerLog log = new RunnerLog() {
            @Override
            public void info(String message) {
                console.info(message);
            }

            @Override
            public void warn(String message, Throwable cause) {
                warnings.add(message);
                console.warn(message, cause);
            }

            @Override
            public void error(String message, Throwable cause) {
                console.error(message, cause);
            }
        };
        RunEngine solo = shared.runner(new RunnerSettings(4, Duration.ofSeconds(10), 5, true), log);
        solo.addAgent(new AgentInfo("chain", "test", 1, "test"), DurableRunTest.CHAIN, 1);
        solo.addRecorder(s -> { });
        solo.shareRuns(member, false);
        solo.start(new RunRequest("r", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(20), null,
                null));
        awaitCycle(solo, "r", 3);
        Thread.sleep(RENEW.toMillis() * 3); // renewed: it is alone
        rename("CLUSTER_LEASE", "CLUSTER_LEASE_AWAY");
        Thread.sleep(LEASE.toMillis() + RENEW.toMillis() * 3);
        rename("CLUSTER_LEASE_AWAY", "CLUSTER_LEASE");
        Thread.sleep(RENEW.toMillis() * 3);
        assertEquals(RunState.RUNNING, solo.run("r").orElseThrow().state(), "kept going all along");
        assertTrue(warnings.stream().noneMatch(w -> w.contains("stops here")), "never stopped: " + warnings);
        long now = solo.run("r").orElseThrow().completedCycles();
        awaitCycle(solo, "r", now + 3);
        assertEquals("solo", owner("r"));
        solo.stop("r");
        assertEquals(RunState.STOPPED, solo.await("r", LONG).state());
        long last = shared.db().journal().run("r").orElseThrow().lastCycle();
        assertEquals(LongStream.rangeClosed(1, last).boxed().toList(), journaled("r"));
        assertEquals(DurableRunTest.expectedChain(last), shared.db().states().latest("chain", "r")
                .orElseThrow().payload().asLong());
    }

    private void rename(String from, String to) throws Exception {
        try (var c = shared.db().database().dataSource().getConnection(); var s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(io.harmonix.store.testing.DerbyFixture.store().equals("derby") ? "RENAME TABLE " + from + " TO "
                    + to : "ALTER TABLE " + from + " RENAME TO " + to);
        }
    }

    private List<Long> journaled(String run) throws Exception {
        return shared.db().journal().cycles(run, 0, Integer.MAX_VALUE).stream().map(CycleSnapshot::cycle).toList();
    }

    /**
     * node-a's renewals stop reaching the database (a network cut of its lease connection, or a pause) while its run
     * goes on committing: node-b takes the run over once the lease expires, and whichever of the two finds the other's
     * cycle in the journal first stops writing (the journal takes one snapshot per cycle: the fence); node-a stops on
     * its own once a whole lease went by without a renewal. The journal ends with every cycle once, and the chain's
     * state says each went on from the one before.
     */
    @Test
    void aRunnerCutOffFromItsLeasesStopsAndTheRunGoesOnElsewhereWithEveryCycleOnce() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
        RunEngine a = runner("node-a", l -> new CutLeases(l, cut));
        RunEngine b = runner("node-b");
        List<String> released = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.addPreparer(new io.harmonix.runner.api.RunPreparer() {
            @Override
            public void prepare(String runId) {
            }

            @Override
            public void released(String runId) {
                released.add(runId);
            }
        });
        a.start(new RunRequest("r", List.of("chain"), 150, Duration.ofMillis(20), null, null));
        awaitCycle(a, "r", 3);
        cut.set(true);

        long end = System.nanoTime() + LONG.toNanos();
        while (recorded.get("node-b") == null) {
            assertTrue(System.nanoTime() < end, "node-b took the run over");
            Thread.sleep(5);
        }
        assertEquals(RunState.COMPLETED, b.await("r", LONG).state());
        assertTrue(a.runs().stream().filter(i -> i.runId().equals("r")).allMatch(i -> i.state()
                == RunState.COMPLETED), "node-a knows r from the journal only, as node-b ended it");
        assertEquals(LongStream.rangeClosed(1, 150).boxed().toList(), journaled("r"));
        assertEquals(DurableRunTest.expectedChain(150), shared.db().states().latest("chain", "r")
                .orElseThrow().payload().asLong());
        assertEquals("completed", shared.db().journal().run("r").orElseThrow().state());
        long aLast = recorded.get("node-a").get(recorded.get("node-a").size() - 1);
        assertTrue(aLast < 150, "node-a stopped before the end: " + aLast);
        assertTrue(released.stream().allMatch("r"::equals) && !released.isEmpty(),
                "node-a's preparer was told it let r go: " + released);
    }

    /** A node's leases whose renewals fail while {@code cut} is set, as over a cut connection. */
    private record CutLeases(Leases leases, java.util.concurrent.atomic.AtomicBoolean cut) implements Leases {
        @Override
        public Duration duration() {
            return leases.duration();
        }

        @Override
        public Duration renewInterval() {
            return leases.renewInterval();
        }

        @Override
        public boolean claim(String key) throws java.sql.SQLException {
            return leases.claim(key);
        }

        @Override
        public void claimNew(java.sql.Connection c, String key) throws java.sql.SQLException {
            leases.claimNew(c, key);
        }

        @Override
        public void offer(java.sql.Connection c, String key) throws java.sql.SQLException {
            leases.offer(c, key);
        }

        @Override
        public boolean offer(String key) throws java.sql.SQLException {
            return leases.offer(key);
        }

        @Override
        public java.util.Set<String> renew(java.util.Collection<String> keys) throws java.sql.SQLException {
            if (cut.get()) {
                throw new java.sql.SQLException("connection cut", "08006");
            }
            return leases.renew(keys);
        }

        @Override
        public java.util.Set<String> hold(java.sql.Connection c, java.util.Collection<String> keys)
                throws java.sql.SQLException {
            return leases.hold(c, keys);
        }

        @Override
        public void release(java.sql.Connection c, String key) throws java.sql.SQLException {
            leases.release(c, key);
        }

        @Override
        public void release(String key) throws java.sql.SQLException {
            leases.release(key);
        }

        @Override
        public List<String> claimable(String prefix, int limit) throws java.sql.SQLException {
            return cut.get() ? List.of() : leases.claimable(prefix, limit);
        }

        @Override
        public List<LeaseInfo> list() throws java.sql.SQLException {
            return leases.list();
        }
    }
}
