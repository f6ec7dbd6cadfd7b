package io.harmonix.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.state.testing.StateFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages over held data: a run of {@link #CYCLES} cycles journaled through the real run journal (an agent's
 * state committed with each cycle, in Derby) and indexed through the real cycle index. Each page answers one page
 * and the way to the next, whatever the length of what it pages over; the time to the first byte of each is
 * printed (docs/performance.md, "Console pages over held data"), never asserted.
 *
 * <p>The build holds 10 000 cycles: many pages of 50, two index batches, the same assertions. The figure of the
 * performance page is taken over the 100 000 with {@code -Dharmonix.console.heldCycles=100000}: journaling
 * them cycle by cycle took 28 of the test's 35 s in every build, for a figure no assertion reads.
 */
class PagesOverHeldDataTest {
    static final int CYCLES = Integer.getInteger("harmonix.console.heldCycles", 10_000);
    static final String RUN = "long-run";

    @TempDir
    static Path dir;
    private static StateFixture state;
    private static IndexFixture index;
    private static ConsoleServer console;

    @BeforeAll
    static void hold() throws Exception {
        state = StateFixture.open(dir.resolve("derby"), id -> null);
        index = IndexFixture.open(dir.resolve("index"), message -> { });
        state.journal().createRun(RUN, JsonNodeFactory.instance.objectNode(), 1, null);
        long start = System.nanoTime();
        List<CycleSnapshot> batch = new ArrayList<>();
        for (int c = 1; c <= CYCLES; c++) {
            CycleSnapshot s = snapshot(c);
            state.journal().checkpoint(s, List.of(new AgentCheckpoint("counter", 1, IntNode.valueOf(c * 10))));
            batch.add(s);
            if (batch.size() == 5_000) {
                index.index().appendCycleSnapshots("local", batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            index.index().appendCycleSnapshots("local", batch);
        }
        System.out.printf("held: %d cycles journaled and indexed in %.1f s%n", CYCLES,
                (System.nanoTime() - start) / 1e9);
        console = new ConsoleServer(dir.resolve("etc"), new StatesPart(state.admin()), new IndexPart(index.index()),
                new IndexPart.ProofsPart(index.index()));
    }

    @AfterAll
    static void release() throws Exception {
        if (console != null) {
            console.close();
        }
        if (index != null) {
            index.close();
        }
        if (state != null) {
            state.close();
        }
    }

    private static CycleSnapshot snapshot(long cycle) {
        Instant t = Instant.parse("2026-11-26T00:00:00Z").plusMillis(cycle);
        AgentEntry counter = new AgentEntry("counter", "test", AgentStatus.OK, "d" + cycle, null, Map.of(), 1, null);
        return new CycleSnapshot(1, RUN, cycle, CycleSnapshot.cycleIdOf(RUN, cycle), t, t, CycleStatus.OK,
                List.of(counter), Map.of());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = console.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void anAgentsStateHistoryAnswersOnePageNewestFirstAndSaysThatThereIsANext() throws Exception {
        JsonNode first = json("/console/api/states/" + RUN + "/counter?limit=50");
        assertEquals(50, first.path("items").size());
        assertEquals(CYCLES, first.path("items").get(0).path("cycle").asLong());
        assertEquals(CYCLES * 10L, first.path("items").get(0).path("state").asLong());
        assertEquals(CYCLES - 49, first.path("items").get(49).path("cycle").asLong());
        assertTrue(first.path("more").asBoolean(), "a next page");
        JsonNode last = json("/console/api/states/" + RUN + "/counter?limit=50&offset=" + (CYCLES - 20));
        assertEquals(20, last.path("items").size());
        assertEquals(1, last.path("items").get(19).path("cycle").asLong());
        assertFalse(last.path("more").asBoolean(), "the oldest state is on the last page");
        report("states", "/console/api/states/" + RUN + "/counter?limit=50");
    }

    @Test
    void anAgentOrRunWithoutStatesIsNotFound() throws Exception {
        HttpResponse<String> none = console.get("/console/api/states/" + RUN + "/nobody");
        assertEquals(404, none.statusCode());
        assertEquals("{\"error\":\"agent 'nobody' has no state in run 'long-run'\",\"status\":404}", none.body());
        assertEquals(404, console.get("/console/api/states/" + RUN).statusCode());
        assertEquals(400, console.get("/console/api/states/" + RUN + "/counter?limit=5000").statusCode());
    }

    @Test
    void theIndexAnswersOnePageOfRecordsNewestFirstWithTheTotalAndItsHead() throws Exception {
        JsonNode root = json("/console/api/index");
        assertEquals("local", root.path("local").asText());
        assertEquals(CYCLES, root.path("namespaces").get(0).path("treeSize").asLong());
        JsonNode page = json("/console/api/index/local/records?limit=50");
        assertEquals(CYCLES, page.path("total").asLong());
        assertEquals(50, page.path("items").size());
        assertEquals(CYCLES - 1, page.path("items").get(0).path("sequence").asLong());
        assertEquals(RUN + ":" + CYCLES, page.path("items").get(0).path("cycleId").asText());
        JsonNode oldest = json("/console/api/index/local/records?limit=50&offset=" + (CYCLES - 10));
        assertEquals(10, oldest.path("items").size());
        assertEquals(0, oldest.path("items").get(9).path("sequence").asLong());
        assertEquals(0, json("/console/api/index/local/records?offset=" + CYCLES).path("items").size());
        JsonNode ns = json("/console/api/index/local");
        assertEquals(1, ns.path("runs").path("total").asInt());
        assertEquals(CYCLES, ns.path("runs").path("items").get(0).path("lastCycle").asLong());
        report("index records", "/console/api/index/local/records?limit=50");
    }

    @Test
    void aProofIsTheIndexsOwnAndAnUnknownCycleOrNamespaceIsNotFound() throws Exception {
        JsonNode proof = json("/console/api/proofs/" + RUN + ":777");
        var own = index.index().prove(RUN + ":777");
        assertEquals(own.root(), proof.path("root").asText());
        assertEquals(776, proof.path("leafIndex").asLong());
        assertEquals(own.path().size(), proof.path("path").size());
        assertEquals(own.leafHash(), proof.path("leafHash").asText());
        HttpResponse<String> unknown = console.get("/console/api/proofs/" + RUN + ":0");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no indexed cycle 'long-run:0'"), unknown.body());
        HttpResponse<String> ns = console.get("/console/api/index/elsewhere/records");
        assertEquals(404, ns.statusCode());
        assertTrue(ns.body().contains("no namespace 'elsewhere'"), ns.body());
        assertEquals(404, console.get("/console/index/elsewhere").statusCode(), "its page too");
        assertEquals(200, console.get("/console/index/local").statusCode());
    }

    @Test
    void verifyReadsTheWholeNamespaceOnlyWhenPostedAndSaysItIsIntact() throws Exception {
        String verify = "/console/api/index/local/verify";
        HttpResponse<String> get = console.get(verify);
        assertEquals(405, get.statusCode(), "a GET must stay cheap and safe: " + get.body());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertTrue(get.body().contains("verify reads every record of the namespace: POST to it"), get.body());

        HttpResponse<String> form = console.post(verify, "x=1", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, form.statusCode(), "what a form of another site could send: " + form.body());
        HttpResponse<String> elsewhere = console.post(verify, "{}", "Content-Type", "application/json", "Origin",
                "http://evil.example");
        assertEquals(403, elsewhere.statusCode(), elsewhere.body());

        HttpResponse<String> r = console.post(verify, "{}", "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode v = Json.MAPPER.readTree(r.body());
        assertTrue(v.path("ok").asBoolean(), v.toString());
        assertEquals(CYCLES, v.path("records").asLong());
        assertEquals(404, console.post("/console/api/index/nowhere/verify", "{}", "Content-Type",
                "application/json").statusCode());
        assertEquals(404, console.post("/console/api/index/local", "{}", "Content-Type", "application/json")
                .statusCode(), "the part answers no other POST");
    }

    /**
     * Prints the time to the first byte of the newest, the middle and the oldest page, the median of 5 after one
     * warm-up each (the JIT, the database's and the file system's caches): for docs/performance.md, not asserted.
     */
    private static void report(String what, String path) throws Exception {
        StringBuilder line = new StringBuilder(what + " page of 50 over " + CYCLES + ", first byte (median of 5):");
        for (int offset : new int[] {0, CYCLES / 2, CYCLES - 50}) {
            String url = path + "&offset=" + offset;
            console.firstByteMillis(url);
            double[] ms = new double[5];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = console.firstByteMillis(url);
            }
            java.util.Arrays.sort(ms);
            line.append(String.format(java.util.Locale.ROOT, " offset %d %.1f ms;", offset, ms[2]));
        }
        System.out.println(line);
    }
}
