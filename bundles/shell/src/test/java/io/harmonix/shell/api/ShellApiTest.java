package io.harmonix.shell.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
