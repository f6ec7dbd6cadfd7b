package io.harmonix.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.metrics.testing.Promtool;
import io.harmonix.metrics.testing.TextFormat;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import io.harmonix.runner.internal.JournalGate;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.state.testing.StateFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run series over the real runner (its engine, and its run journal on a real Derby where runs are durable):
 * seeded once from what the runner holds, so that a metrics bundle started afresh (a restart of the runtime, or of
 * the bundle) reports the runs there were, then kept from the run events: a scrape reads no record, and runs deleted
 * from the store neither lower the totals nor hide the runs started after them.
 */
class RunMetricsTest {
    @TempDir
    Path dir;
    private RunEngine engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(30), 100, false),
            RunnerLog.console());
    private StateFixture state;
    private IndexFixture index;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        release.countDown();
        engine.close(Duration.ofSeconds(5));
        if (index != null) {
            index.close();
        }
        if (state != null) {
            state.close();
        }
    }

    private static TextFormat scrape(HubComponent hub) throws Exception {
        String text = MetricsServlet.render(hub.registry()).toString(StandardCharsets.UTF_8);
        Promtool.check(text);
        return TextFormat.parse(text);
    }

    /** The events reach listeners asynchronously (their own queue): waits, at most 10 s, for a series to read so. */
    private static TextFormat await(HubComponent hub, String series, double expected) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        TextFormat f = scrape(hub);
        while (f.valueOrZero(series) != expected && System.nanoTime() < end) {
            Thread.sleep(20);
            f = scrape(hub);
        }
        assertEquals(expected, f.valueOrZero(series), series);
        return f;
    }

    /**
     * The metrics bundle starting over {@code runner}: its hub, its cycle listener heard by the engine as DS makes it
     * hear a registered CycleListener service, then its run series (once the runner is there).
     */
    private HubComponent start(CycleRunner runner) {
        HubComponent hub = new HubComponent();
        CycleMetrics listener = new CycleMetrics(hub);
        engine.addListener(listener, "metrics-test-" + System.identityHashCode(hub));
        listeners.add(listener);
        new RunMetrics(hub, runner, false);
        return hub;
    }

    private final List<CycleListener> listeners = new java.util.ArrayList<>();

    /** The bundle stopping: its listener no longer hears the engine. */
    private void stop() {
        listeners.forEach(engine::removeListener);
        listeners.clear();
    }

    private void quick() {
        engine.addAgent(new AgentInfo("quick", "test", 1, "test"), ctx -> new AgentResult(null, null, null), 1);
    }

    private void run(String id) throws Exception {
        engine.start(new RunRequest(id, List.of("quick"), 2, Duration.ZERO, null, null));
        assertEquals(RunState.COMPLETED, engine.await(id, Duration.ofSeconds(30)).state());
    }

    @Test
    void runsAreSeededFromTheRunnersRecordSoAFreshStartReportsThemAllThenCountedFromEvents() throws Exception {
        quick();
        engine.addAgent(new AgentInfo("held", "test", 1, "test"), ctx -> {
            release.await(); // a run that stays running while the test looks
            return new AgentResult(null, null, null);
        }, 2);
        for (String id : List.of("a", "b", "c")) {
            run(id);
        }
        engine.start(new RunRequest("long", List.of("held"), 0, Duration.ZERO, null, null));
        engine.start(new RunRequest("halted", List.of("quick"), 0, Duration.ofSeconds(60), null, null));
        engine.stop("halted");
        assertEquals("STOPPED", engine.await("halted", Duration.ofSeconds(30)).state().name());

        // the metrics bundle starting now (as after a restart): it saw none of these runs' events
        HubComponent hub = start(engine);
        TextFormat f = scrape(hub);
        assertEquals("counter", f.types.get("harmonix_runs_started_total"));
        assertEquals(5, f.value("harmonix_runs_started_total"));
        assertEquals(3, f.value("harmonix_runs_finished_total{state=\"completed\"}"));
        assertEquals(1, f.value("harmonix_runs_finished_total{state=\"stopped\"}"));
        assertEquals(0, f.value("harmonix_runs_finished_total{state=\"failed\"}"));
        assertEquals(0, f.valueOrZero("harmonix_runs_finished_total{state=\"running\"}"), "not finished: no such series");
        assertEquals("gauge", f.types.get("harmonix_runs"));
        assertEquals(1, f.value("harmonix_runs{state=\"running\"}"));
        assertEquals(0, f.value("harmonix_runs{state=\"interrupted\"}"));
        assertEquals(0, f.valueOrZero("harmonix_runs{state=\"completed\"}"), "ended runs are the counters' only");
        assertEquals(0, f.valueOrZero("harmonix_cycles_total{status=\"ok\"}"),
                "cycles count what this process saw: none yet (documented as such)");

        // a run started now is counted from its events, once
        run("d");
        await(hub, "harmonix_runs_finished_total{state=\"completed\"}", 4);
        assertEquals(6, scrape(hub).value("harmonix_runs_started_total"));

        // and a second start of the bundle says the same again
        stop();
        HubComponent again = start(engine);
        assertEquals(6, scrape(again).value("harmonix_runs_started_total"));
        release.countDown();
        engine.stop("long");
        engine.await("long", Duration.ofSeconds(30));
        TextFormat after = await(again, "harmonix_runs_finished_total{state=\"stopped\"}", 2);
        assertEquals(0, after.value("harmonix_runs{state=\"running\"}"));
        assertEquals(6, after.value("harmonix_runs_started_total"), "a run ending is no run starting");
    }

    @Test
    void aScrapeReadsNoRecordAndRunsDeletedFromTheStoreNeitherLowerTheTotalsNorHideNewRuns() throws Exception {
        state = StateFixture.open(dir.resolve("derby"), id -> null);
        index = IndexFixture.open(dir.resolve("index"), message -> { }); // what makes a durable cycle: the index
        JournalGate gate = new JournalGate();
        gate.set(state.journal());
        engine.close(Duration.ofSeconds(5));
        engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(30), 100, true), RunnerLog.console(), gate);
        engine.addRecorder(index.recorder());
        quick();
        for (String id : List.of("a", "b", "c")) {
            run(id);
        }
        // a restarted runtime: the runs are the journal's only, none in the runner's memory
        engine.close(Duration.ofSeconds(5));
        engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(30), 100, true), RunnerLog.console(), gate);
        engine.addRecorder(index.recorder());
        quick();
        // the runner as the metrics see it, its runs() (the whole run journal) counted
        AtomicInteger reads = new AtomicInteger();
        CycleRunner counted = (CycleRunner) Proxy.newProxyInstance(CycleRunner.class.getClassLoader(),
                new Class<?>[] {CycleRunner.class}, (proxy, method, args) -> {
                    if (method.getName().equals("runs")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        HubComponent hub = start(counted);
        assertEquals(3, scrape(hub).value("harmonix_runs_started_total"));

        state.states().deleteRun("a");
        state.states().deleteRun("b");
        assertEquals(List.of("c"), engine.runs().stream().map(r -> r.runId()).toList(), "the runner's record now");
        for (String id : List.of("d", "e")) {
            run(id);
        }
        TextFormat f = await(hub, "harmonix_runs_finished_total{state=\"completed\"}", 5);
        assertEquals(5, f.value("harmonix_runs_started_total"), "every run started: the deleted ones and the new");
        for (int i = 0; i < 100; i++) {
            scrape(hub);
        }
        assertEquals(1, reads.get(), "the record was read once, at the start, never by a scrape");
    }

    @Test
    void theStateARunEndedInIsTakenFromItsEventsMessage() {
        assertEquals(RunState.COMPLETED, RunCounts.endOf("completed"));
        assertEquals(RunState.FAILED, RunCounts.endOf("failed: runner error: java.io.IOException: disk full"));
        assertEquals(RunState.INTERRUPTED, RunCounts.endOf("interrupted"));
        assertNull(RunCounts.endOf("gone somewhere"));
        assertNull(RunCounts.endOf(null));
        assertTrue(RunState.INTERRUPTED.finished() == false, "interrupted goes on: the gauge's, not a counter's");
    }
}
