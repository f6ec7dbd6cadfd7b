package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.propagator.api.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** registry.json and pulse.json: schema errors with line, column and field; checks a schema cannot make. */
class MeshConfigTest {
    @TempDir
    Path dir;

    private Path registry(String json) throws Exception {
        return Files.writeString(dir.resolve("registry.json"), json);
    }

    private Path pulse(String json, String mode) throws Exception {
        Path p = Files.writeString(dir.resolve("pulse.json"), json);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private static final String PULSE = "{\"secrets\": {\"b\": {\"signing\": [\"" + Fixture.SECRET + "\", \""
            + Fixture.NEW_SECRET + "\"], \"token\": \"" + Fixture.TOKEN + "\"}}}";

    private List<String> problems(Path registry, Path pulse) {
        return assertThrows(MeshConfig.Invalid.class,
                () -> MeshConfig.load(registry, pulse, "local", id -> "continuous")).problems;
    }

    @Test
    void aValidRegistryWithDefaults() throws Exception {
        MeshConfig c = MeshConfig.load(registry("""
                {"endpoints": [{"id": "b", "url": "http://127.0.0.1:9/in", "secret": "b"}],
                 "peers": [{"id": "a", "secret": "b"}]}"""), pulse(PULSE, "rw-------"), "local", id -> "* * * * *");
        Endpoint e = c.endpoints.get(0);
        assertEquals(List.of("local"), e.namespaces());
        assertEquals(List.of("*"), e.runs());
        assertEquals(MeshConfig.EVENTS, e.events());
        assertTrue(e.enabled());
        assertEquals(20, e.ratePerSecond());
        assertEquals(20, e.burst());
        assertEquals("* * * * *", e.schedule());
        assertEquals(2, c.secrets.get("b").keys().size());
        assertEquals("a", c.peers.get("a").namespace());
    }

    @Test
    void aRegistryOfEmptyListsIsAcceptedWithoutItsSchemaAndAnythingElseStillGoesThroughIt() throws Exception {
        Path none = dir.resolve("no-pulse.json");
        MeshConfig shipped = MeshConfig.load(registry("{\"endpoints\": [], \"peers\": []}"), none, "local",
                id -> "continuous");
        assertTrue(shipped.endpoints.isEmpty());
        assertTrue(shipped.peers.isEmpty());
        assertTrue(MeshConfig.load(registry("{}"), none, "local", id -> "continuous").endpoints.isEmpty());
        // an unknown key beside empty lists, or a list that is not empty, is the schema's to judge
        List<String> unknown = problems(registry("{\"endpoints\": [], \"endpoint\": []}"), none);
        assertTrue(unknown.get(0).contains("/endpoint"), unknown.toString());
        List<String> wrongType = problems(registry("{\"endpoints\": {}}"), none);
        assertTrue(wrongType.get(0).contains("/endpoints"), wrongType.toString());
        List<String> incomplete = problems(registry("{\"peers\": [{}]}"), none);
        assertTrue(incomplete.get(0).contains("/peers/0"), incomplete.toString());
    }

    @Test
    void schemaErrorsNameFileLineColumnAndField() throws Exception {
        Path r = registry("""
                {
                  "endpoints": [
                    {"id": "b", "url": "ftp://x", "secret": "b",
                     "rateLimit": {"perSecond": -1}},
                    {"url": "http://x"}
                  ],
                  "peer": []
                }""");
        List<String> p = problems(r, pulse(PULSE, "rw-------"));
        String all = String.join("\n", p);
        assertTrue(all.contains(r + " line 3, column 17: /endpoints/0/url: does not match the regex pattern"), all);
        assertTrue(all.contains("line 4, column 20: /endpoints/0/rateLimit/perSecond: must have an exclusive minimum value of 0"), all);
        assertTrue(all.contains("line 5, column 5: /endpoints/1/id: required property 'id' not found"), all);
        assertTrue(all.contains("/endpoints/1/secret"), all);
        assertTrue(all.contains("line 7, column 3: /peer: property 'peer' is not defined"), all);
    }

    @Test
    void aParserMessageIsCutBeforeWhatItQuotes() {
        assertEquals("Unrecognized token (the file holds secrets: its text is not shown)",
                MeshConfig.kindOnly("Unrecognized token 'whsec_abc': was expecting (JSON String, Number)"));
        assertEquals("Unexpected character (the file holds secrets: its text is not shown)",
                MeshConfig.kindOnly("Unexpected character ('}' (code 125)): was expecting double-quote"));
        assertEquals("a syntax error (the file holds secrets: its text is not shown)", MeshConfig.kindOnly("'x'"));
    }

    @Test
    void syntaxErrorsSayWhere() throws Exception {
        Path r = registry("{\n  \"endpoints\": [\n    {\"id\": \"b\",,}\n  ]\n}");
        String p = problems(r, pulse(PULSE, "rw-------")).get(0);
        assertTrue(p.startsWith(r + " line 3, column "), p);
        assertTrue(p.contains("not valid JSON"), p);
    }

    @Test
    void secretsMustBeNamedUniqueAndPrivate() throws Exception {
        Path r = registry("""
                {"endpoints": [{"id": "b", "url": "http://x/", "secret": "nope"},
                               {"id": "b", "url": "http://y/", "secret": "b"}]}""");
        String all = String.join("\n", problems(r, pulse(PULSE, "rw-------")));
        assertTrue(all.contains("/endpoints/0/secret: 'nope' is not a name in"), all);
        assertTrue(all.contains("/endpoints/1/id: 'b' is already the id of another endpoint"), all);

        Path ok = registry("{\"endpoints\": [{\"id\": \"b\", \"url\": \"http://x/\", \"secret\": \"b\"}]}");
        String readable = String.join("\n", problems(ok, pulse(PULSE, "rw-r-----")));
        assertTrue(readable.contains("readable by other users (rw-r-----); refused"), readable);
        assertTrue(readable.contains("chmod 600"), readable);
    }

    @Test
    void pulseErrorsNeverRepeatASecret() throws Exception {
        Path r = registry("{\"endpoints\": [{\"id\": \"b\", \"url\": \"http://x/\", \"secret\": \"b\"}]}");
        String badSecret = "whsec_" + Fixture.TOKEN;
        List<String> p = problems(r, pulse("{\"secrets\": {\"b\": {\"signing\": [\"" + badSecret + "\"], "
                + "\"token\": \"" + Fixture.TOKEN + "\", \"extra\": \"" + Fixture.SECRET + "\"}}}", "rw-------"));
        String all = String.join("\n", p);
        assertTrue(all.contains("/secrets/b/signing/0"), all);
        assertTrue(all.contains("extra"), all);
        assertFalse(all.contains(Fixture.TOKEN), all);
        assertFalse(all.contains(Fixture.SECRET), all);
    }

    @Test
    void aWrongScheduleIsNamed() throws Exception {
        Path r = registry("{\"endpoints\": [{\"id\": \"b\", \"url\": \"http://x/\", \"secret\": \"b\"}]}");
        String p = assertThrows(MeshConfig.Invalid.class, () -> MeshConfig.load(r, pulse(PULSE, "rw-------"),
                "local", id -> "every minute")).problems.get(0);
        assertTrue(p.contains("schedule.b = 'every minute': expected 'continuous' or a cron expression"), p);
    }

    @Test
    void schedulesFireWhenCronSays() {
        Schedule every5 = Schedule.parse("*/5 * * * *");
        java.time.Instant t = java.time.Instant.parse("2026-11-21T10:02:30Z");
        java.time.Instant next = every5.next(t);
        assertEquals(0, next.atZone(java.time.ZoneId.systemDefault()).getMinute() % 5);
        assertTrue(next.isAfter(t) && next.isBefore(t.plusSeconds(301)));
        assertEquals(t.plusSeconds(1), Schedule.parse("* * * * * ?").next(t));
        assertTrue(Schedule.parse("continuous").continuous());
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("61 * * * *"));
    }
}
