package io.harmonix.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.cycle.api.AgentResult;
import io.harmonix.metrics.testing.Promtool;
import io.harmonix.metrics.testing.TextFormat;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The run series over the real runner (its engine): totals of what the runner holds, so that a metrics bundle
 * started afresh (a restart of the runtime, or of the bundle) reports the runs there were, not zero.
 */
class RunMetricsTest {
    private final RunEngine engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(30), 100, false),
            RunnerLog.console());
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        engine.close(Duration.ofSeconds(5));
    }

    private static TextFormat scrape(HubComponent hub) throws Exception {
        String text = MetricsServlet.render(hub.registry()).toString(StandardCharsets.UTF_8);
        Promtool.check(text);
        return TextFormat.parse(text);
    }

    @Test
    void runsAreCountedFromTheRunnersRecordSoAFreshStartReportsThemAll() throws Exception {
        engine.addAgent(new AgentInfo("quick", "test", 1, "test"), ctx -> new AgentResult(null, null, null), 1);
        engine.addAgent(new AgentInfo("held", "test", 1, "test"), ctx -> {
            release.await(); // a run that stays running while the test looks
            return new AgentResult(null, null, null);
        }, 2);
        for (String id : List.of("a", "b", "c")) {
            engine.start(new RunRequest(id, List.of("quick"), 2, Duration.ZERO, null, null));
            engine.await(id, Duration.ofSeconds(30));
        }
        engine.start(new RunRequest("long", List.of("held"), 0, Duration.ZERO, null, null));
        engine.start(new RunRequest("halted", List.of("quick"), 0, Duration.ofSeconds(60), null, null));
        engine.stop("halted");
        assertEquals("STOPPED", engine.await("halted", Duration.ofSeconds(30)).state().name());

        // the metrics bundle starting now (as after a restart): it saw none of these runs' events
        HubComponent hub = new HubComponent();
        new CycleMetrics(hub);
        RunMetrics runs = new RunMetrics(hub, engine);
        TextFormat f = scrape(hub);
        assertEquals("counter", f.types.get("harmonix_runs_started_total"));
        assertEquals(5, f.value("harmonix_runs_started_total"));
        assertEquals(3, f.value("harmonix_runs_finished_total{state=\"completed\"}"));
        assertEquals(1, f.value("harmonix_runs_finished_total{state=\"stopped\"}"));
        assertEquals(0, f.value("harmonix_runs_finished_total{state=\"failed\"}"));
        assertEquals(0, f.valueOrZero("harmonix_runs_finished_total{state=\"running\"}"), "not finished: no such series");
        assertEquals("gauge", f.types.get("harmonix_runs"));
        assertEquals(1, f.value("harmonix_runs{state=\"running\"}"));
        assertEquals(3, f.value("harmonix_runs{state=\"completed\"}"));
        assertEquals(0, f.value("harmonix_runs{state=\"interrupted\"}"));
        assertEquals(0, f.valueOrZero("harmonix_cycles_total{status=\"ok\"}"),
                "cycles count what this process saw: none yet (documented as such)");

        // and a second start of the bundle says the same again
        runs.deactivate();
        HubComponent again = new HubComponent();
        new RunMetrics(again, engine);
        assertEquals(5, scrape(again).value("harmonix_runs_started_total"));
        release.countDown();
        engine.stop("long");
        engine.await("long", Duration.ofSeconds(30));
        assertEquals(2, scrape(again).value("harmonix_runs_finished_total{state=\"stopped\"}"));
        assertEquals(0, scrape(again).value("harmonix_runs{state=\"running\"}"));
    }
}
