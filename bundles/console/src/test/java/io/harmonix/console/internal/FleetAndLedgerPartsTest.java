package io.harmonix.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.internal.ledger.FileBacklogLedger;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.internal.ConsoleFleet;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet and ledger parts over the fleet's real catalogue (its engine over Derby) and the real backlog ledger
 * file: names that could shadow a sub-resource, and a ledger file that does not validate.
 */
class FleetAndLedgerPartsTest {
    @TempDir
    Path dir;

    private static Repository repository(String name, String... dependencies) {
        return new Repository(name, "/srv/" + name, "java", "mvn -B package", "mvn -B test", List.of(dependencies),
                List.of(), "manifest", null);
    }

    @Test
    void noRepositoryNameShadowsTheGraphOrTheChecks() throws Exception {
        try (ConsoleFleet fleet = new ConsoleFleet(dir, List.of(repository("graph"), repository("checks"),
                repository("app", "graph")));
                ConsoleServer console = new ConsoleServer(dir.resolve("etc"), new FleetPart(fleet.catalogue()))) {
            JsonNode graph = Json.MAPPER.readTree(ok(console, "/console/api/fleet/graph"));
            assertTrue(graph.has("levels") && graph.has("edges"), "the dependency graph: " + graph);
            assertEquals("[[\"app\",\"graph\"]]", graph.path("edges").toString(), "app depends on graph");

            JsonNode repo = Json.MAPPER.readTree(ok(console, "/console/api/fleet/repositories/graph"));
            assertEquals("graph", repo.path("repository").path("name").asText(), "the repository called graph");
            assertEquals("checks", Json.MAPPER.readTree(ok(console, "/console/api/fleet/repositories/checks"))
                    .path("repository").path("name").asText());
            HttpResponse<String> none = console.get("/console/api/fleet/repositories/nowhere");
            assertEquals(404, none.statusCode());
            assertTrue(none.body().contains("no repository 'nowhere' in the fleet"), none.body());
            assertEquals(404, console.get("/console/api/fleet/app").statusCode(), "repositories have their own segment");
            assertEquals(200, console.get("/console/fleet/graph").statusCode(), "its page");
            assertEquals(404, console.get("/console/fleet/nowhere").statusCode());

            JsonNode page = Json.MAPPER.readTree(ok(console, "/console/api/fleet?limit=2&offset=1"));
            assertEquals(3, page.path("total").asInt());
            assertEquals(List.of("checks", "graph"), page.path("items").findValuesAsText("name"),
                    "by name, from the second");
        }
    }

    @Test
    void anItemOfALedgerThatDoesNotValidateIsAConflictNamingTheFileLineAndField() throws Exception {
        Path file = dir.resolve("data/ledger/backlog.json");
        FileBacklogLedger ledger = new FileBacklogLedger(file, Clock.systemUTC());
        Instant t = Instant.parse("2026-11-26T00:00:00Z");
        BacklogItem item = ledger.upsert(new BacklogItem(BacklogItem.idOf("shop", ItemType.BUG, "t"), "shop",
                ItemType.BUG, 3, Risk.LOW, ItemStatus.OPEN, List.of("harmonix:task/shop/0"), t, t, null, null, null,
                null));
        try (ConsoleServer console = new ConsoleServer(dir.resolve("etc"), new LedgerPart(ledger))) {
            assertEquals(200, console.get("/console/api/ledger/" + item.id()).statusCode());

            String text = Files.readString(file);
            assertTrue(text.contains("\"priority\" : 3") || text.contains("\"priority\":3"), text);
            Files.writeString(file, text.replaceFirst("\"priority\" ?: ?3", "\"priority\": \"high\""));
            int line = lineOf(Files.readString(file), "\"priority\": \"high\"");

            HttpResponse<String> r = console.get("/console/api/ledger/" + item.id());
            assertEquals(409, r.statusCode(), r.body());
            String error = Json.MAPPER.readTree(r.body()).path("error").asText();
            assertTrue(error.startsWith("the backlog ledger " + file + " does not validate: " + line + ":"), error);
            assertTrue(error.contains("/items/0/priority"), "the field: " + error);
            assertTrue(error.endsWith("; ledger:validate lists them, /console/api/ledger shows them"), error);
            JsonNode list = Json.MAPPER.readTree(ok(console, "/console/api/ledger"));
            assertEquals(line, list.path("problems").get(0).path("line").asInt(), "the list shows the problems");
        }
    }

    private static int lineOf(String text, String what) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(what)) {
                return i + 1;
            }
        }
        throw new AssertionError(what + " not in " + text);
    }

    private static String ok(ConsoleServer console, String path) throws Exception {
        HttpResponse<String> r = console.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }
}
