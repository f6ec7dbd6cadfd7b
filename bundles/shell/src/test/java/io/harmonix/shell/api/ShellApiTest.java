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
}
