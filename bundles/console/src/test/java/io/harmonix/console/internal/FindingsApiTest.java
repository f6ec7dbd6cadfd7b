package io.harmonix.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The findings API over the real runner (its engine, cycles retained in memory): a page reads the newest runs only
 * until it is full, whatever is held, and a finding asked for with its run reads that run alone.
 */
class FindingsApiTest {
    private static final int RUNS = 30;
    private static final int PER_RUN = 3;
    private final RunEngine engine = new RunEngine(new RunnerSettings(2, Duration.ofSeconds(30), 1000, false),
            io.harmonix.runner.internal.RunnerLog.console());
    private final AtomicBoolean qualityFails = new AtomicBoolean();
    private FindingsApi findings;

    /** The quality agent's findings of a run: PER_RUN of its own, the run's id in their code. */
    private static List<Finding> found(String runId) {
        List<Finding> out = new ArrayList<>();
        for (int i = 1; i <= PER_RUN; i++) {
            out.add(Finding.of("quality", "UnusedImport", Severity.LOW, Risk.LOW, "", new Location("src/A.java", i,
                    1, i, 10), "unused import " + i, "import x" + i + ";", runId + " import x" + i));
        }
        return out;
    }

    @BeforeEach
    void run() throws Exception {
        engine.addAgent(new AgentInfo("quality", "quality", 1, "test"), ctx -> {
            if (qualityFails.get()) {
                throw new IllegalStateException("the analysis broke");
            }
            return FindingCycle.result(ctx, "quality", new Target(Path.of("/repo"), "c0ffee", List.of()),
                    new Analysis(found(ctx.runId()), List.of(), 1, 1, false, Map.of()));
        }, 1);
        engine.addAgent(new AgentInfo("files", "sample", 1, "test"), ctx -> new AgentResult(null, null, null), 2);
        for (int r = 1; r <= RUNS; r++) {
            start(String.format("run-%02d", r), 2);
        }
        findings = new FindingsApi(engine, new RunsApi(engine, null));
    }

    private void start(String id, int cycles) throws InterruptedException {
        engine.start(new RunRequest(id, List.of("quality", "files"), cycles, Duration.ZERO, null, null));
        assertEquals("COMPLETED", engine.await(id, Duration.ofSeconds(30)).state().name(), id);
    }

    @AfterEach
    void close() throws InterruptedException {
        engine.close(Duration.ofSeconds(5));
    }

    @Test
    void aPageReadsTheNewestRunsOnlyUntilItIsFull() {
        FindingsApi.Of first = findings.page(new Page(5, 0), null);
        assertEquals(5, first.items().size());
        assertTrue(first.more());
        assertEquals(2, first.runsRead(), "3 findings a run: 6 (a page and one) are in the newest 2 of " + RUNS);
        assertEquals(List.of("run-30", "run-30", "run-30", "run-29", "run-29"),
                first.items().stream().map(FindingsApi.Row::runId).toList(), "newest run first");
        assertEquals("persisting", first.items().get(0).status(), "seen in both cycles");
        assertEquals(2, first.items().get(0).cycle(), "of the run's last cycle");

        FindingsApi.Of last = findings.page(new Page(5, RUNS * PER_RUN - 3), null);
        assertEquals(3, last.items().size());
        assertFalse(last.more());
        assertEquals(RUNS, last.runsRead());
        assertEquals("run-01", last.items().get(2).runId());
    }

    @Test
    void aFindingAskedForWithItsRunReadsThatRunAloneAndOneNotThereIsNamed() {
        String oldest = found("run-01").get(0).fingerprint();
        FindingsApi.Row row = findings.one(oldest, "run-01");
        assertEquals("run-01", row.runId());
        assertEquals("src/A.java", row.finding().location().file());
        assertEquals("import x1;", row.finding().evidence());
        assertEquals(row, findings.one(oldest, null), "without its run: the newest runs are read until it is met");
        ApiException none = assertThrows(ApiException.class, () -> findings.one(oldest, "run-02"));
        assertEquals(404, none.status());
        assertEquals("no finding '" + oldest + "' in run 'run-02'", none.getMessage());
        assertEquals(404, assertThrows(ApiException.class, () -> findings.one("nope", "run-77")).status());
    }

    @Test
    void anAgentThatFailedInItsLastCycleShowsTheFindingsOfItsLatestCycleThatSucceeded() throws Exception {
        qualityFails.set(true);
        engine.start(new RunRequest("run-31", List.of("quality", "files"), 1, Duration.ZERO, null, null));
        engine.await("run-31", Duration.ofSeconds(30));
        // run-31's only cycle failed for quality: it has no findings, so the page goes on to run-30
        FindingsApi.Of page = findings.page(new Page(3, 0), null);
        assertEquals(List.of("run-30", "run-30", "run-30"), page.items().stream().map(FindingsApi.Row::runId)
                .toList());
        assertEquals(3, page.runsRead());
    }
}
