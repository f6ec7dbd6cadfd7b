package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.metrics.testing.Promtool;
import io.harmonix.metrics.testing.TextFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged runtime in run mode serves GET /metrics on its HTTP port (loopback): a run resumed by it moves the
 * series by exactly the cycles it ran, scrape after scrape, in text Prometheus' own promtool accepts, and the
 * endpoint is read-only.
 */
class MetricsIT {
    private static final int CYCLES = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aRunInRunModeMovesTheSeriesByTheCyclesItRan() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Files.writeString(runtime.home.resolve("etc/io.harmonix.agent.files.cfg"), "directory = system/features\n");
        // exec mode starts the run and, ending, leaves it interrupted: run mode resumes it
        PackagedRuntime.Result created = runtime.exec("cycle:run --id m --agents files --cycles " + CYCLES
                + " --interval 100ms");
        assertEquals(0, created.exit(), created.toString());
        PackagedRuntime.Result runs = runtime.exec("cycle:runs --json");
        JsonNode run = JSON.readTree(runs.out()).get(0);
        long before = run.get("completedCycles").asLong();
        long expected = CYCLES - before;
        assertTrue(expected > 0, "exec mode ran the whole run: " + runs);

        Process p = runtime.start(runtime.home, "run");
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        new PackagedRuntime.Output(p.getErrorStream());
        try {
            out.await("Harmonix running");
            URI uri = URI.create("http://127.0.0.1:" + runtime.port() + "/metrics");
            HttpResponse<String> first = get(uri);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (first.statusCode() != 200) { // the servlet reaches the whiteboard asynchronously
                assertTrue(System.nanoTime() < end, "no 200 from /metrics within 60 s: " + first.statusCode());
                Thread.sleep(100);
                first = get(uri);
            }
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    first.headers().firstValue("Content-Type").orElse(""));
            Promtool.check(first.body());
            TextFormat a = TextFormat.parse(first.body());

            // Scrape after scrape the counter only grows, up to the cycles the run had left. Whether a scrape lands
            // in the middle of the run depends on how long the servlet took to come up (the whiteboard is
            // asynchronous), so that is not asserted: under a loaded machine the first 200 came after the run's end.
            TextFormat b = a;
            double seen = a.valueOrZero("harmonix_cycles_total{status=\"ok\"}");
            assertTrue(seen <= expected, "no more cycles than the run had left: " + seen);
            while (b.valueOrZero("harmonix_runs_finished_total{state=\"completed\"}") < 1) {
                assertTrue(System.nanoTime() < end + TimeUnit.SECONDS.toNanos(60), "the run did not complete "
                        + "within two minutes:\n" + out.text());
                Thread.sleep(200);
                HttpResponse<String> next = get(uri);
                Promtool.check(next.body());
                b = TextFormat.parse(next.body());
                double now = b.valueOrZero("harmonix_cycles_total{status=\"ok\"}");
                assertTrue(seen <= now && now <= expected, "a counter only grows, up to " + expected + ": " + seen
                        + " then " + now);
                seen = now;
            }
            assertEquals(expected, b.value("harmonix_cycles_total{status=\"ok\"}"));
            assertEquals(expected, b.value("harmonix_cycle_duration_seconds_count"));
            assertEquals(expected, b.value("harmonix_agent_step_duration_seconds_count{agent=\"files\"}"));
            assertEquals(0, b.valueOrZero("harmonix_agent_step_failures_total{agent=\"files\",status=\"failed\"}"));
            assertEquals(1, b.value("harmonix_runs_started_total"), "the resumed run");
            assertEquals(expected, b.value("harmonix_index_records_appended_total{namespace=\"local\"}"),
                    "the last committed cycle recorded again at resume is skipped by the index, not counted");
            assertEquals(CYCLES, b.value("harmonix_index_records{namespace=\"local\"}"));
            assertEquals(expected, b.value("harmonix_index_append_sync_seconds_count{namespace=\"local\"}"));
            assertTrue(b.value("jvm_memory_used_bytes{area=\"heap\"}") > 0);
            assertTrue(b.samples.keySet().stream().noneMatch(k -> k.contains("\"m\"") || k.contains("m:")),
                    "run and cycle ids are no labels");

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode(), "read-only");
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
