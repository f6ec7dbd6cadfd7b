package io.harmonix.shell.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShellApiTest {
    @Test
    void tablesAlignColumnsAndRightAlignNumbers() {
        Table t = new Table("NAME", "COUNT", "NOTE").row("alpha", 5, null).row("b", 1234, "x");
        assertEquals("""
                NAME   COUNT  NOTE
                alpha      5  -
                b       1234  x
                """, t.toString());
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }

    @Test
    void anEmptyTablePrintsItsHeaderOrWhatItWasToldToSayInstead() {
        assertEquals("NAME  COUNT\n", new Table("NAME", "COUNT").toString());
        assertEquals("no runs\n", new Table("NAME", "COUNT").ifEmpty("no runs").toString());
        assertEquals("NAME  COUNT\nx         1\n", new Table("NAME", "COUNT").ifEmpty("no runs").row("x", 1)
                .toString());
    }

    record Sample(String name, long count, int version, Instant at, com.fasterxml.jackson.databind.JsonNode tree,
            String missing) {
    }

    @Test
    void aRecordsJsonViewListsTheNamedComponentsInTheOrderGiven() {
        Sample s = new Sample("a", 12_345_678_901L, 2, Instant.parse("2026-01-02T03:04:05Z"),
                JsonNodeFactory.instance.objectNode().put("k", 1), null);
        assertEquals("{\"version\":2,\"name\":\"a\",\"count\":12345678901,\"at\":\"2026-01-02T03:04:05Z\","
                + "\"tree\":{\"k\":1},\"missing\":null}",
                Json.fields(s, "version", "name", "count", "at", "tree", "missing").toString());
        assertEquals("{\"at\":\"2026-01-02T03:04:05Z\"}", Json.fields(s, "at").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.fields(s, "nope"));
        assertEquals("Sample has no component 'nope'; components: at, count, missing, name, tree, version",
                e.getMessage());
    }
}
