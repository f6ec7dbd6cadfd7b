package io.harmonix.metrics.internal;

import io.harmonix.metrics.testing.Promtool;
import io.harmonix.metrics.testing.TextFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleEventType;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's text read back by a strict parser of the format ({@link TextFormat}) and by Prometheus' own
 * {@code promtool check metrics} (Debian package prometheus, which .ci/run installs), with the values following the
 * cycle and index events fed in.
 */
class MetricsEndpointTest {
    private final HubComponent hub = new HubComponent();
    private final CycleMetrics cycles = new CycleMetrics(hub);
    private final IndexMetrics index = new IndexMetrics(hub);

    private String scrape() throws IOException, InterruptedException {
        String text = MetricsServlet.render(hub.registry()).toString(StandardCharsets.UTF_8);
        Promtool.check(text);
        return text;
    }

    @Test
    void cyclesStepsAndAppendsMoveTheirSeries() throws Exception {
        TextFormat before = TextFormat.parse(scrape());
        assertEquals("histogram", before.types.get("harmonix_cycle_duration_seconds"));
        assertEquals(0, before.value("harmonix_cycle_duration_seconds_count"));
        assertTrue(before.value("jvm_memory_used_bytes{area=\"heap\"}") > 0, "JVM heap is reported");
        assertTrue(before.samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_collection_seconds_count")),
                "GC is reported");

        cycles.onEvent(event(CycleEventType.RUN_STARTED, "r1", 0, null, null));
        cycles.onEvent(event(CycleEventType.CYCLE_COMPLETED, "r1", 1, snapshot("r1", 1, 250,
                entry("files", AgentStatus.OK, 120), entry("quality", AgentStatus.OK, 40)), null));
        cycles.onEvent(event(CycleEventType.CYCLE_COMPLETED, "r1", 2, snapshot("r1", 2, 3_000,
                entry("files", AgentStatus.OK, 80), entry("quality", AgentStatus.TIMEOUT, 2_900)), null));
        cycles.onEvent(event(CycleEventType.CYCLE_FAILED, "r1", 3, null, "disk full"));
        cycles.onEvent(event(CycleEventType.RUN_FINISHED, "r1", 0, null, "failed: cycle 3 could not be made durable"));
        index.written("local", 2, Duration.ofMillis(3));
        index.appended("local", 2);

        TextFormat after = TextFormat.parse(scrape());
        assertEquals("counter", after.types.get("harmonix_cycles_total"));
        assertEquals("histogram", after.types.get("harmonix_agent_step_duration_seconds"));
        assertEquals(1, after.value("harmonix_cycles_total{status=\"ok\"}"));
        assertEquals(1, after.value("harmonix_cycles_total{status=\"partial\"}"));
        assertEquals(1, after.value("harmonix_cycles_total{status=\"not_committed\"}"));
        assertEquals(2, after.value("harmonix_cycle_duration_seconds_count"));
        assertEquals(3.25, after.value("harmonix_cycle_duration_seconds_sum"), 1e-9);
        assertEquals(1, after.value("harmonix_cycle_duration_seconds_bucket{le=\"0.25\"}"));
        assertEquals(2, after.value("harmonix_agent_step_duration_seconds_count{agent=\"files\"}"));
        assertEquals(0.2, after.value("harmonix_agent_step_duration_seconds_sum{agent=\"files\"}"), 1e-9);
        assertEquals(1, after.value("harmonix_agent_step_failures_total{agent=\"quality\",status=\"timeout\"}"));
        assertFalse(after.samples.containsKey("harmonix_agent_step_failures_total{agent=\"files\",status=\"timeout\"}"));
        assertEquals(1, after.value("harmonix_index_appends_total{namespace=\"local\"}"));
        assertEquals(2, after.value("harmonix_index_records_appended_total{namespace=\"local\"}"));
        assertEquals(0.003, after.value("harmonix_index_append_sync_seconds_sum{namespace=\"local\"}"), 1e-9);
        assertEquals(2, after.value("harmonix_index_records{namespace=\"local\"}"));
        assertTrue(after.samples.keySet().stream().noneMatch(k -> k.contains("r1")),
                "no run or cycle id is ever a label");
    }

    @Test
    void agentLabelsAreCappedAndTheRestCountedAsOther() throws Exception {
        List<AgentEntry> entries = new ArrayList<>();
        for (int i = 0; i < CycleMetrics.AGENT_LABELS + 50; i++) {
            entries.add(entry(String.format("agent-%03d", i), AgentStatus.FAILED, 1));
        }
        cycles.onEvent(event(CycleEventType.CYCLE_COMPLETED, "r2", 1,
                snapshot("r2", 1, 5, entries.toArray(AgentEntry[]::new)), null));
        TextFormat f = TextFormat.parse(scrape());
        long agents = f.samples.keySet().stream()
                .filter(k -> k.startsWith("harmonix_agent_step_duration_seconds_count{")).count();
        assertEquals(CycleMetrics.AGENT_LABELS + 1, agents);
        assertEquals(50, f.value("harmonix_agent_step_duration_seconds_count{agent=\"other\"}"));
        assertEquals(50, f.value("harmonix_agent_step_failures_total{agent=\"other\",status=\"failed\"}"));
    }

    @Test
    void unregisteredSourcesLeaveTheEndpoint() throws Exception {
        cycles.deactivate();
        index.deactivate();
        TextFormat f = TextFormat.parse(scrape());
        assertTrue(f.samples.keySet().stream().noneMatch(k -> k.startsWith("harmonix_")), f.samples.keySet()::toString);
        assertTrue(f.samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_")));
    }

    @Test
    void theReaderRefusesWhatTheFormatForbids() throws Exception {
        assertEquals(2.5, TextFormat.parse("# TYPE a counter\na_total{x=\"q\\\"\"} 2.5\n")
                .value("a_total{x=\"q\"\"}"));
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse("a 1"), "no final line feed");
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse("1a 1\n"), "bad name");
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse("a{x=\"1\"}1\n"), "no space");
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse("a{x=1} 1\n"), "unquoted");
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse("a 1\na 2\n"), "series twice");
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse("a 1\n# TYPE a gauge\n"), "late TYPE");
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n"),
                "buckets not cumulative");
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse(
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n"), "+Inf not _count");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Promtool.check("# TYPE a counter\n# TYPE a counter\na 1\n"));
        assertTrue(e.getMessage().contains("promtool"), e.getMessage());
    }

    static CycleEvent event(CycleEventType type, String run, long cycle, CycleSnapshot s, String message) {
        return new CycleEvent(type, run, cycle, Instant.now(), s, message);
    }

    static AgentEntry entry(String id, AgentStatus status, long millis) {
        return new AgentEntry(id, "sample", status, "0".repeat(64), null, null, millis,
                status == AgentStatus.OK ? null : "it " + status.json());
    }

    static CycleSnapshot snapshot(String run, long cycle, long millis, AgentEntry... entries) {
        Instant start = Instant.parse("2026-11-26T12:00:00Z").plusSeconds(cycle * 10);
        int failed = (int) List.of(entries).stream().filter(e -> e.status() != AgentStatus.OK).count();
        return new CycleSnapshot(CycleSnapshot.SCHEMA_VERSION, run, cycle, CycleSnapshot.cycleIdOf(run, cycle), start,
                start.plusMillis(millis), CycleStatus.of(entries.length, failed), List.of(entries), null);
    }
}
