package io.harmonix.shell.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramesTest {
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

    private ReadableByteChannel received() {
        return Channels.newChannel(new ByteArrayInputStream(wire.toByteArray()));
    }

    @Test
    void aFrameIsItsTypeItsLengthBigEndianAndItsPayload() throws IOException {
        Frames.writeText(Channels.newChannel(wire), Frames.STDOUT, "é\n");
        assertArrayEquals(new byte[] {'o', 0, 0, 0, 3, (byte) 0xc3, (byte) 0xa9, '\n'}, wire.toByteArray());
    }

    @Test
    void framesReadBackInOrderAndTheEndBetweenFramesIsNull() throws IOException {
        var out = Channels.newChannel(wire);
        Frames.writeText(out, Frames.RUN, "cycle:runs; agent:list");
        Frames.write(out, Frames.INTERRUPT, new byte[0]);
        Frames.writeExit(out, 130);
        ReadableByteChannel in = received();

        Frames.Frame run = Frames.read(in);
        assertEquals(Frames.RUN, run.type());
        assertEquals("cycle:runs; agent:list", run.text());
        Frames.Frame interrupt = Frames.read(in);
        assertEquals(Frames.INTERRUPT, interrupt.type());
        assertEquals(0, interrupt.payload().length);
        assertEquals(130, Frames.read(in).status());
        assertNull(Frames.read(in), "a clean end between frames");
    }

    @Test
    void aConnectionEndingInsideAFrameIsAnError() throws IOException {
        Frames.writeText(Channels.newChannel(wire), Frames.STDERR, "error: half");
        byte[] whole = wire.toByteArray();
        for (int cut : new int[] {1, 4, 5, whole.length - 1}) {
            ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(whole, 0, cut));
            EOFException e = assertThrows(EOFException.class, () -> Frames.read(in), "cut after " + cut);
            assertTrue(e.getMessage().startsWith("connection closed inside a frame"), e.getMessage());
        }
    }

    @Test
    void aLengthBeyondTheLimitIsRefusedBeforeAnythingIsAllocated() {
        ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(new byte[] {'G', 'E', 'T', ' ', '/'}));
        IOException e = assertThrows(IOException.class, () -> Frames.read(in));
        assertEquals("frame of type 'G' announces 1163141167 bytes: at most 1048576 are accepted (not a Harmonix "
                + "command socket?)", e.getMessage());
        ReadableByteChannel negative = Channels.newChannel(new ByteArrayInputStream(
                ByteBuffer.allocate(5).put(Frames.STDOUT).putInt(-1).array()));
        assertThrows(IOException.class, () -> Frames.read(negative));
        assertThrows(IOException.class, () -> Frames.write(Channels.newChannel(wire), Frames.STDOUT,
                new byte[Frames.MAX_PAYLOAD + 1]));
        assertEquals(0, wire.size(), "nothing of a frame too long is sent");
    }

    @Test
    void onlyAnExitFrameHasAStatus() {
        Frames.Frame out = new Frames.Frame(Frames.STDOUT, "abcd".getBytes(StandardCharsets.UTF_8));
        assertEquals("not an exit frame: type 'o', 4 bytes",
                assertThrows(IllegalStateException.class, out::status).getMessage());
        assertThrows(IllegalStateException.class, () -> new Frames.Frame(Frames.EXIT, new byte[3]).status());
    }

    @Test
    void aFrameLargerThanAPipeBufferArrivesWhole() throws Exception {
        Pipe pipe = Pipe.open();
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Thread writer = new Thread(() -> {
            try {
                Frames.write(pipe.sink(), Frames.STDOUT, big);
                pipe.sink().close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        assertArrayEquals(big, Frames.read(pipe.source()).payload());
        assertNull(Frames.read(pipe.source()));
        writer.join();
    }
}
