package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleEventType;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's capacity ({@code maxRuns}) over real parts: runners, each its own node of the cluster, over one
 * embedded Derby and its run journal. A run started where there is no room is journaled as offered and its lease
 * offered; the runtimes with room claim it and start it at its first cycle from its journaled definition, so that
 * runs started on one runtime spread over the others; a runtime alone queues them and starts them as its runs end.
 * Each runner's listener counts the runs it drives at once (started minus finished), and its recorder what it
 * committed: never more than {@code maxRuns} at once, every cycle of every run once (the chain agent's state proves
 * each cycle went on from the one before).
 */
class RunCapacityTest {
    private static final Duration CLAIMS = Duration.ofMillis(100);
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final RunnersOnOneDatabase shared = new RunnersOnOneDatabase(() -> dir,
            id -> id.equals("chain") ? DurableRunTest.CHAIN : null);
    /** By node: the cycles of each run its runner handed its index, in order. */
    private final Map<String, Map<String, List<Long>>> recorded = new ConcurrentHashMap<>();
    /** By node: the runs its runner started (run started events), in order. */
    private final Map<String, List<String>> started = new ConcurrentHashMap<>();
    /** By node: the most runs its runner drove at once, by its listener's count. */
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    /** Every run event of every runner, in the order each runner's listener heard them, as {@code node type run}. */
    private final List<String> heard = new CopyOnWriteArrayList<>();

    /** A runner with room for {@code maxRuns}, without a node (its runs are its own) unless {@code node} joins. */
    private RunEngine runner(String node, int maxRuns, boolean join) throws Exception {
        return runner(node, maxRuns, join, false);
    }

    /** @param renewOnly whether it takes nothing of other runtimes (exec mode) */
    private RunEngine runner(String node, int maxRuns, boolean join, boolean renewOnly) throws Exception {
        RunEngine e = shared.runner(new RunnerSettings(4, Duration.ofSeconds(10), 5, true, maxRuns, CLAIMS));
        e.addAgent(new AgentInfo("chain", "test", 1, "test"), DurableRunTest.CHAIN, 1);
        e.addRecorder(s -> recorded.computeIfAbsent(node, n -> new ConcurrentHashMap<>())
                .computeIfAbsent(s.runId(), r -> new CopyOnWriteArrayList<>()).add(s.cycle()));
        e.addListener(counter(node), node);
        if (join) {
            ClusterFixture member = shared.join(node);
            e.shareRuns(member.leases(), node, renewOnly);
        }
        return e;
    }

    private CycleListener counter(String node) {
        AtomicInteger going = new AtomicInteger();
        most.put(node, new AtomicInteger());
        started.put(node, new CopyOnWriteArrayList<>());
        return (CycleEvent event) -> {
            if (event.type() == CycleEventType.RUN_STARTED) {
                started.get(node).add(event.runId());
                most.get(node).accumulateAndGet(going.incrementAndGet(), Math::max);
                heard.add(node + " started " + event.runId());
            } else if (event.type() == CycleEventType.RUN_FINISHED) {
                going.decrementAndGet();
                heard.add(node + " finished " + event.runId());
            }
        };
    }

    private static RunRequest chain(String id, long cycles) {
        return new RunRequest(id, List.of("chain"), cycles, Duration.ofMillis(40), null, null);
    }

    @Test
    void fiveRunsStartedOnOneOfThreeRuntimesWithRoomForOneEachGoOverAllThreeEachCycleOnce() throws Exception {
        RunEngine a = runner("node-a", 1, true);
        runner("node-b", 1, true);
        runner("node-c", 1, true);
        List<String> ids = List.of("r1", "r2", "r3", "r4", "r5");
        List<RunInfo> answers = new ArrayList<>();
        for (String id : ids) {
            answers.add(a.start(chain(id, 12)));
        }
        assertEquals(RunState.RUNNING, answers.get(0).state());
        for (RunInfo offered : answers.subList(1, 5)) {
            assertEquals(RunState.OFFERED, offered.state(), "node-a has no room: " + offered);
            assertEquals("no room on node-a (maxRuns 1): the first runtime with room starts it", offered.message());
        }

        for (String id : ids) {
            // node-a waits for each wherever it goes: its journal entry, read until it says completed
            assertEquals(RunState.COMPLETED, a.await(id, LONG).state(), id);
        }
        awaitHeard(10); // the listeners hear each run's end a moment after it (their own threads)
        Set<String> everyRun = Set.copyOf(ids);
        for (String id : ids) {
            assertEquals(LongStream.rangeClosed(1, 12).boxed().toList(), journaled(id), id + ": each cycle once");
            assertEquals(DurableRunTest.expectedChain(12), shared.db().states().latest("chain", id)
                    .orElseThrow().payload().asLong(), id + " went on from its own previous cycle each time");
            List<String> committers = recorded.entrySet().stream().filter(n -> n.getValue().containsKey(id))
                    .map(Map.Entry::getKey).toList();
            assertEquals(1, committers.size(), id + " was committed by one runtime: " + committers);
            assertEquals(LongStream.rangeClosed(1, 12).boxed().toList(), recorded.get(committers.get(0)).get(id));
        }
        for (String node : List.of("node-a", "node-b", "node-c")) {
            assertFalse(started.get(node).isEmpty(), node + " drove at least one run: " + started);
            assertEquals(1, most.get(node).get(), node + " never drove more than maxRuns at once: " + heard);
        }
        assertEquals(everyRun, Set.copyOf(started.values().stream().flatMap(List::stream).toList()));
        assertEquals(5, started.values().stream().mapToInt(List::size).sum(), "each run started once: " + started);
        assertTrue(leases().isEmpty(), "each lease ended with its run: " + leases());
    }

    /**
     * node-b claims the run node-a offered and dies driving it: node-c, which came later and had room, claims it
     * once its lease expires and goes on at the next cycle; node-a, full all along, never takes it.
     */
    @Test
    void aRuntimeKilledWhileDrivingAnOfferedRunLeavesItToOneWithRoomAfterALeaseEachCycleOnce() throws Exception {
        RunEngine a = runner("node-a", 1, true);
        RunEngine b = runner("node-b", 1, true);
        a.start(new RunRequest("busy", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(40), null,
                null));
        assertEquals(RunState.OFFERED, a.start(chain("r", 60)).state());
        awaitCycle("r", 4);
        assertEquals("node-b", owner("r"));

        RunEngine c = runner("node-c", 1, true);
        shared.nodes().get(1).close(); // node-b killed: no renewal, no heartbeat; its lease on r stays and expires
        b.close(Duration.ofSeconds(5));
        long last = shared.db().journal().run("r").orElseThrow().lastCycle();

        assertEquals(RunState.COMPLETED, c.await("r", LONG).state());
        assertEquals(RunState.COMPLETED, a.await("r", LONG).state(), "node-a sees it end elsewhere");
        assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), journaled("r"), "no cycle twice, none lost");
        assertEquals(DurableRunTest.expectedChain(60), shared.db().states().latest("chain", "r").orElseThrow().payload()
                .asLong());
        // killed at any instant: node-b's close may come between its last commit and handing that cycle to its
        // recorder, which then takes no more (the design: a resumed run records its last two committed cycles again,
        // RunRecovery.recordLastCommitted; seen once in a whole-suite run: node-b's record ended at 4 with 5 committed)
        List<Long> byB = recorded.get("node-b").get("r");
        assertTrue(byB.equals(LongStream.rangeClosed(1, last).boxed().toList())
                || byB.equals(LongStream.rangeClosed(1, last - 1).boxed().toList()),
                "node-b recorded every cycle it committed, but perhaps its last: " + byB + ", committed " + last);
        assertEquals(LongStream.rangeClosed(last - 1, 60).boxed().toList(), recorded.get("node-c").get("r"),
                "node-c hands its index node-b's last two cycles again, then goes on at the next one");
        assertEquals(List.of("busy"), started.get("node-a"), "node-a had no room for r");
        assertEquals(1, most.get("node-c").get());
        a.stop("busy");
        assertEquals(RunState.STOPPED, a.await("busy", LONG).state());
    }

    /** A runtime without a node: the extra run waits in its queue, shown as offered, and starts as the first ends. */
    @Test
    void aRuntimeWithoutANodeQueuesTheRunItHasNoRoomForAndStartsItWhenRoomFrees() throws Exception {
        aLoneRuntimeQueuesTheExtraRun(runner("solo", 1, false), "no room here (maxRuns 1): it starts here when a "
                + "run ends");
    }

    /** A cluster of one: the run it offers is claimed by nobody else, and it takes it back itself once it has room. */
    @Test
    void aClusterOfOneOffersTheRunItHasNoRoomForAndClaimsItBackWhenRoomFrees() throws Exception {
        aLoneRuntimeQueuesTheExtraRun(runner("solo", 1, true), "no room on solo (maxRuns 1): the first runtime with "
                + "room starts it");
    }

    private void aLoneRuntimeQueuesTheExtraRun(RunEngine solo, String why) throws Exception {
        assertEquals(RunState.RUNNING, solo.start(chain("first", 15)).state());
        RunInfo second = solo.start(chain("second", 5));
        assertEquals(RunState.OFFERED, second.state());
        assertEquals(why, second.message());
        assertEquals(RunState.OFFERED, solo.run("second").orElseThrow().state(), "shown as offered while it waits");
        assertEquals(RunState.OFFERED, solo.runs().stream().filter(r -> r.runId().equals("second")).findFirst()
                .orElseThrow().state());
        assertEquals("offered", shared.db().journal().run("second").orElseThrow().state(), "journaled as offered");
        assertEquals(0, shared.db().journal().run("second").orElseThrow().lastCycle());

        assertEquals(RunState.COMPLETED, solo.await("second", LONG).state());
        assertEquals(RunState.COMPLETED, solo.run("first").orElseThrow().state());
        awaitHeard(4);
        assertEquals(List.of("solo started first", "solo finished first", "solo started second",
                "solo finished second"), heard, "second started only once first had ended");
        assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), journaled("second"));
        assertEquals(DurableRunTest.expectedChain(5), shared.db().states().latest("chain", "second")
                .orElseThrow().payload().asLong());
        assertEquals("completed", shared.db().journal().run("second").orElseThrow().state());
    }

    /**
     * The journal is the queue: a lone runtime without a node that stops with a run going and one offered resumes the
     * first at its next start and queues the second again, which starts once the first has ended.
     */
    @Test
    void aRunOfferedBeforeARestartIsQueuedAgainAndStartsOnceRoomFrees() throws Exception {
        RunEngine before = runner("solo", 1, false);
        before.start(new RunRequest("first", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(40), null,
                null));
        assertEquals(RunState.OFFERED, before.start(chain("second", 4)).state());
        awaitCycle("first", 2);
        before.close(Duration.ofSeconds(5));
        shared.engines().remove(before);
        assertEquals("offered", shared.db().journal().run("second").orElseThrow().state());

        RunEngine after = runner("solo-again", 1, false);
        assertEquals(List.of("first"), after.resumeInterrupted(), "the going run resumes; the offered one waits");
        assertEquals(RunState.OFFERED, after.run("second").orElseThrow().state());
        long at = shared.db().journal().run("first").orElseThrow().lastCycle();
        awaitCycle("first", at + 2);
        assertEquals(0, shared.db().journal().run("second").orElseThrow().lastCycle(),
                "no room for it while first goes");
        after.stop("first");
        assertEquals(RunState.COMPLETED, after.await("second", LONG).state());
        assertEquals(LongStream.rangeClosed(1, 4).boxed().toList(), journaled("second"));
        assertEquals(DurableRunTest.expectedChain(4), shared.db().states().latest("chain", "second")
                .orElseThrow().payload().asLong());
        assertEquals("stopped", shared.db().journal().run("first").orElseThrow().state());
    }

    /**
     * A fork started where there is no room is offered as any run: the runtime that claims it starts it from the
     * states it was forked with, read from the run it was forked from (it has none of its own yet).
     */
    @Test
    void aForkOfferedStartsWhereItIsClaimedFromTheStatesItWasForkedWith() throws Exception {
        RunEngine a = runner("node-a", 1, true);
        runner("node-b", 1, true);
        a.start(chain("source", 6));
        assertEquals(RunState.COMPLETED, a.await("source", LONG).state());
        a.start(new RunRequest("busy", List.of("chain"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(40), null,
                null));
        RunInfo fork = a.fork("source", 3, "fork", 4L);
        assertEquals(RunState.OFFERED, fork.state());
        assertEquals(RunState.COMPLETED, a.await("fork", LONG).state());
        assertEquals(LongStream.rangeClosed(4, 7).boxed().toList(), journaled("fork"));
        long expected = DurableRunTest.expectedChain(3);
        for (long c = 4; c <= 7; c++) {
            expected = expected * 31 + c;
        }
        assertEquals(expected, shared.db().states().latest("chain", "fork").orElseThrow().payload().asLong(),
                "cycle 4 went on from the state of the source's cycle 3");
        assertEquals(LongStream.rangeClosed(4, 7).boxed().toList(), recorded.get("node-b").get("fork"));
        a.stop("busy");
    }

    /**
     * Exec mode claims no other runtime's runs, but takes back the ones it offered itself as its runs end: alone, a
     * {@code cycle:run --wait} of a run it offered would otherwise wait for ever.
     */
    @Test
    void execModeTakesBackTheRunItOfferedItselfOnceItsRunEnds() throws Exception {
        RunEngine exec = runner("exec", 1, true, true);
        exec.start(chain("first", 6));
        assertEquals(RunState.OFFERED, exec.start(chain("second", 3)).state());
        assertEquals(RunState.COMPLETED, exec.await("second", LONG).state());
        assertEquals(LongStream.rangeClosed(1, 3).boxed().toList(), recorded.get("exec").get("second"));
        awaitHeard(4);
        assertEquals(List.of("exec started first", "exec finished first", "exec started second",
                "exec finished second"), heard);
    }

    /** A runner whose runs live in memory only queues alike. */
    /**
     * A run stopped (cycle:stop) in the runtime that claimed it while that runtime still prepares it (a wave's
     * agents take seconds to come) stays stopped: the claim resumed it from the record read before the stop, and it
     * went on unleased (found by review).
     */
    @Test
    void aRunStoppedWhileItsClaimerPreparesItStaysStopped() throws Exception {
        RunEngine a = runner("node-a", 1, true);
        RunEngine b = runner("node-b", 1, true);
        CountDownLatch preparing = new CountDownLatch(1);
        CountDownLatch prepared = new CountDownLatch(1);
        b.addPreparer(new io.harmonix.runner.api.RunPreparer() {
            @Override
            public void prepare(String runId) throws Exception {
                if (runId.equals("r2")) {
                    preparing.countDown();
                    prepared.await();
                }
            }

            @Override
            public void released(String runId) {
            }
        });
        a.start(chain("r1", 40));
        assertEquals(RunState.OFFERED, a.start(chain("r2", 5)).state());
        assertTrue(preparing.await(LONG.toSeconds(), TimeUnit.SECONDS), "node-b claims r2 and prepares it");

        assertEquals(RunState.STOPPED, b.stop("r2").state());
        prepared.countDown();

        assertEquals(RunState.COMPLETED, a.await("r1", LONG).state());
        assertEquals(RunState.STOPPED, b.await("r2", LONG).state());
        assertEquals("stopped", shared.db().journal().run("r2").orElseThrow().state(), "as cycle:stop left it");
        assertEquals(List.of(), journaled("r2"), "no cycle after the stop");
    }

    @Test
    void aRunnerInMemoryQueuesTheRunItHasNoRoomFor() throws Exception {
        RunEngine memory = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(10), 10, true, 1, CLAIMS),
                RunnerLog.console());
        shared.engines().add(memory);
        memory.addAgent(new AgentInfo("chain", "test", 1, "test"), DurableRunTest.CHAIN, 1);
        memory.start(chain("one", 5));
        assertEquals(RunState.OFFERED, memory.start(chain("two", 3)).state());
        assertEquals(RunState.COMPLETED, memory.await("two", LONG).state());
        assertEquals(3, memory.run("two").orElseThrow().completedCycles());
        assertEquals(RunState.COMPLETED, memory.run("one").orElseThrow().state());
    }

    private void awaitHeard(int events) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (heard.size() < events) {
            assertTrue(System.nanoTime() < end, "the listeners heard " + events + " run events: " + heard);
            Thread.sleep(5);
        }
    }

    private void awaitCycle(String run, long cycle) throws Exception {
        long end = System.nanoTime() + LONG.toNanos();
        while (shared.db().journal().run(run).orElseThrow().lastCycle() < cycle) {
            assertTrue(System.nanoTime() < end, "run " + run + " reached cycle " + cycle);
            Thread.sleep(5);
        }
    }

    private List<LeaseInfo> leases() throws Exception {
        return shared.nodes().get(0).leases().list().stream()
                .filter(l -> l.key().startsWith(RunLeases.PREFIX)).toList();
    }

    private String owner(String run) throws Exception {
        return leases().stream().filter(l -> l.key().equals(RunLeases.key(run))).map(LeaseInfo::owner).findFirst()
                .orElse(null);
    }

    private List<Long> journaled(String run) throws Exception {
        return shared.db().journal().cycles(run, 0, Integer.MAX_VALUE).stream().map(CycleSnapshot::cycle).toList();
    }
}
