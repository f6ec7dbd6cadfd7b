package io.harmonix.shell.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The frames of the runtime's command socket. A frame is its type (one byte), the length of its payload (four
 * bytes, big-endian) and the payload. The client sends {@link #RUN} (a script, UTF-8) and, while it runs,
 * {@link #INTERRUPT} (Ctrl-C of an interactive client); the runtime answers a script with {@link #STDOUT} and
 * {@link #STDERR} frames as the commands print, then one {@link #EXIT} (the exit status, four bytes). A connection
 * is one Gogo session: its scripts run one after the other and share its variables. A client that goes away while
 * a script runs interrupts it.
 */
public final class Frames {
    /** Client to runtime: run this script (UTF-8), then answer {@link #EXIT}. */
    public static final byte RUN = 'r';
    /** Client to runtime: interrupt the script that runs (as Ctrl-C in the shell); no payload. */
    public static final byte INTERRUPT = 'i';
    /** Runtime to client: bytes the commands wrote to standard output. */
    public static final byte STDOUT = 'o';
    /** Runtime to client: bytes written to standard error (a failed command's error line). */
    public static final byte STDERR = 'e';
    /** Runtime to client: the script ended with this exit status (a four-byte big-endian int). */
    public static final byte EXIT = 'x';
    /** The largest payload either side accepts: a frame's length is checked before anything is allocated. */
    public static final int MAX_PAYLOAD = 1 << 20;

    private Frames() {
    }

    /** A frame as read: its type and payload. */
    public record Frame(byte type, byte[] payload) {
        /** @return the payload as UTF-8 text */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** @return the exit status of an {@link #EXIT} frame */
        public int status() {
            if (type != EXIT || payload.length != 4) {
                throw new IllegalStateException("not an exit frame: type '" + (char) type + "', " + payload.length
                        + " bytes");
            }
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /** Writes one frame, whole. Callers writing from several threads synchronize on the channel. */
    public static void write(WritableByteChannel channel, byte type, byte[] payload, int offset, int length)
            throws IOException {
        if (length > MAX_PAYLOAD) {
            throw new IOException("frame of " + length + " bytes: at most " + MAX_PAYLOAD + " are sent at once");
        }
        ByteBuffer header = ByteBuffer.allocate(5).put(type).putInt(length).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
        while (header.hasRemaining()) {
            channel.write(header);
        }
        while (body.hasRemaining()) {
            channel.write(body);
        }
    }

    public static void write(WritableByteChannel channel, byte type, byte[] payload) throws IOException {
        write(channel, type, payload, 0, payload.length);
    }

    public static void writeText(WritableByteChannel channel, byte type, String text) throws IOException {
        write(channel, type, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeExit(WritableByteChannel channel, int status) throws IOException {
        write(channel, EXIT, ByteBuffer.allocate(4).putInt(status).array());
    }

    /**
     * Reads one frame.
     *
     * @return the frame, or null when the other side closed the connection between frames
     * @throws EOFException when it closed inside a frame
     * @throws IOException when the length is not one this protocol sends (not a Harmonix peer, or a broken one)
     */
    public static Frame read(ReadableByteChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(5);
        if (!fill(channel, header, true)) {
            return null;
        }
        header.flip();
        byte type = header.get();
        int length = header.getInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("frame of type '" + (char) type + "' announces " + Integer.toUnsignedString(length)
                    + " bytes: at most " + MAX_PAYLOAD + " are accepted (not a Harmonix command socket?)");
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        fill(channel, payload, false);
        return new Frame(type, payload.array());
    }

    /** @return false at a clean end of stream before the first byte (only when {@code endAllowed}) */
    private static boolean fill(ReadableByteChannel channel, ByteBuffer buffer, boolean endAllowed)
            throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("connection closed inside a frame (" + buffer.position() + " of "
                        + buffer.limit() + " bytes)");
            }
        }
        return true;
    }
}
