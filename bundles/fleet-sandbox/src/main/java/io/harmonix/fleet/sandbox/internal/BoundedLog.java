package io.harmonix.fleet.sandbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A command's output kept within a bound while it streams: the first half of the limit as it came, the last half
 * in a ring, the bytes between counted and dropped. A build that prints gigabytes costs the limit in memory and
 * nothing on disk. Not thread-safe: one reader thread fills it, the caller reads it after that thread ended.
 */
final class BoundedLog {
    private final byte[] head;
    private final byte[] tail;
    private int headSize;
    /** Bytes written into the ring in all (its next position is {@code tailWritten % tail.length}). */
    private long tailWritten;

    BoundedLog(int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("a log limit of at least 2 bytes is needed, not " + limit);
        }
        head = new byte[limit / 2];
        tail = new byte[limit - limit / 2];
    }

    /** Reads {@code in} to its end (all the command's processes closed their output). */
    void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            write(buffer, 0, n);
        }
    }

    void write(byte[] bytes, int offset, int length) {
        int toHead = Math.min(length, head.length - headSize);
        System.arraycopy(bytes, offset, head, headSize, toHead);
        headSize += toHead;
        int from = offset + toHead;
        int rest = length - toHead;
        if (rest > tail.length) { // only the last tail.length bytes can stay
            tailWritten += rest - tail.length;
            from += rest - tail.length;
            rest = tail.length;
        }
        while (rest > 0) {
            int at = (int) (tailWritten % tail.length);
            int n = Math.min(rest, tail.length - at);
            System.arraycopy(bytes, from, tail, at, n);
            tailWritten += n;
            from += n;
            rest -= n;
        }
    }

    /** @return bytes left out between head and tail */
    long dropped() {
        return Math.max(0, tailWritten - tail.length);
    }

    /** @return the output as text (malformed UTF-8 replaced), with a line marking where and how much was cut */
    String text() {
        StringBuilder out = new StringBuilder(decode(head, 0, headSize));
        long dropped = dropped();
        if (dropped > 0) {
            out.append("\n[... ").append(dropped).append(" bytes of output left out ...]\n");
        }
        int kept = (int) Math.min(tailWritten, tail.length);
        byte[] ordered = new byte[kept];
        int start = (int) ((tailWritten - kept) % tail.length);
        for (int i = 0; i < kept; i++) {
            ordered[i] = tail[(start + i) % tail.length];
        }
        return out.append(decode(ordered, 0, kept)).toString();
    }

    private static String decode(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("cannot happen with REPLACE", e);
        }
    }
}
