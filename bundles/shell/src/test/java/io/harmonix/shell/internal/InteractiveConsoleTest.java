package io.harmonix.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InteractiveConsoleTest {
    @Test
    void linesAreDecodedWithoutTheirEndsAndTheInputEndsAtEofOrEot() throws Exception {
        InputStream in = new ByteArrayInputStream("état\r\n\nlast".getBytes(StandardCharsets.UTF_8));
        assertEquals("état", InteractiveConsole.readLine(in, StandardCharsets.UTF_8));
        assertEquals("", InteractiveConsole.readLine(in, StandardCharsets.UTF_8));
        assertEquals("last", InteractiveConsole.readLine(in, StandardCharsets.UTF_8), "a last line without its end");
        assertNull(InteractiveConsole.readLine(in, StandardCharsets.UTF_8));

        InputStream telnet = new ByteArrayInputStream("a\n\u0004b\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("a", InteractiveConsole.readLine(telnet, StandardCharsets.UTF_8));
        assertNull(InteractiveConsole.readLine(telnet, StandardCharsets.UTF_8), "Ctrl-D passed on as a byte");
    }

    @Test
    void readingALineLeavesTheNextOneForCommandsThatReadTheKeyboard() throws Exception {
        InputStream in = new ByteArrayInputStream("cmd\nanswer\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("cmd", InteractiveConsole.readLine(in, StandardCharsets.UTF_8));
        assertEquals("answer\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void exitStatusesAreZeroTo255() {
        assertEquals(0, SessionCommands.parse("0"));
        assertEquals(255, SessionCommands.parse("255"));
        assertEquals("exit: the exit status is a whole number from 0 to 255, not '256'",
                assertThrows(IllegalArgumentException.class, () -> SessionCommands.parse("256")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionCommands.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> SessionCommands.parse("abc"));
    }
}
