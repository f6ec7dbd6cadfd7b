package io.harmonix.index.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A damage-tolerant read of one segment file: its intact records and its damaged stretches, in file order.
 *
 * <p>Why not stop at the first bad record: a bad record followed by records that verify is not a torn tail but
 * damage (a flipped bit, a bad sector) in the middle of the log, and the records after it must stay readable and
 * recoverable. After a bad record the scan looks for the next offset where a record verifies (length that fits,
 * CRC32C, JSON with a cycle id): at once after the bad record when its length field is intact (the usual case: a
 * flipped byte hits the payload far more often than the 8-byte header), else byte by byte. A CRC32C match at a
 * wrong offset has a chance of 2^-32 and must also parse as a record, so a resynchronisation is not a guess.
 * Nothing that verifies after the bad record: it is a tail (torn by a crash when it is the last segment's).
 *
 * <p>The file is read whole: segments are closed past {@code segmentBytes} (8 MiB by default), and the byte-by-byte
 * search must not cost a read call per byte.
 */
final class SegmentScan {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CYCLE_ID = Pattern.compile("\"cycleId\":\"([^\"\\\\]{1,200})\"");

    /** An intact record at {@code offset}: its payload is {@code length} bytes after its header. */
    record Intact(long offset, int length, byte[] leaf, String cycleId, String runId, long cycle,
            Instant recordedAt) {
    }

    /**
     * A damaged stretch of the file, {@code [offset, end)}.
     *
     * @param records how many records it held: 1 when the bad record's length is known (its length field, or a
     *     CRC32C that matches the bytes up to the next good record), -1 when it cannot be told from the file
     * @param problem what is wrong with the record at {@code offset}
     * @param cycleId the cycle id read from the damaged bytes, or null when it cannot be read
     * @param tail whether nothing after it verifies (it runs to the end of the file)
     */
    record Bad(long offset, long end, long records, String problem, String cycleId, boolean tail) {
    }

    final Path file;
    final long size;
    /** {@link Intact} and {@link Bad} in file order */
    final List<Object> items = new ArrayList<>();
    private final byte[] all;

    private SegmentScan(Path file, byte[] all) {
        this.file = file;
        this.all = all;
        this.size = all.length;
    }

    static SegmentScan of(Path file) throws IOException {
        SegmentScan s = new SegmentScan(file, Files.readAllBytes(file));
        s.scan();
        return s;
    }

    /** @return the bytes of {@code [from, to)} of the file as read */
    byte[] bytes(long from, long to) {
        return java.util.Arrays.copyOfRange(all, (int) from, (int) to);
    }

    /** @return the payload of an intact record */
    byte[] payload(Intact r) {
        return bytes(r.offset() + Segment.HEADER, r.offset() + Segment.HEADER + r.length());
    }

    private void scan() {
        long offset = 0;
        while (offset < size) {
            Object at = read(offset);
            if (at instanceof Intact r) {
                items.add(r);
                offset += Segment.HEADER + r.length();
                continue;
            }
            String problem = (String) at;
            long next = resync(offset);
            if (next < 0) {
                items.add(new Bad(offset, size, -1, problem, cycleIdIn(offset, size), true));
                return;
            }
            items.add(new Bad(offset, next, recordsBetween(offset, next), problem, cycleIdIn(offset, next), false));
            offset = next;
        }
    }

    /** @return the record at {@code offset} when it verifies, or what is wrong with it */
    private Object read(long offset) {
        if (offset + Segment.HEADER > size) {
            return "is cut short: " + (size - offset) + " bytes, not even a header";
        }
        ByteBuffer h = ByteBuffer.wrap(all, (int) offset, Segment.HEADER);
        int length = h.getInt();
        int crc = h.getInt();
        if (length <= 0 || length > Segment.MAX_RECORD) {
            return "has an impossible length " + length;
        }
        if (offset + Segment.HEADER + length > size) {
            return "is cut short: its length is " + length + " but the file ends " + (size - offset - Segment.HEADER)
                    + " bytes after its header";
        }
        byte[] payload = bytes(offset + Segment.HEADER, offset + Segment.HEADER + length);
        if (Segment.crc32c(payload) != crc) {
            return "fails its CRC32C";
        }
        try {
            JsonNode entry = JSON.readTree(payload);
            if (entry == null || !entry.path("cycleId").isTextual() || !entry.path("runId").isTextual()
                    || !entry.path("cycle").canConvertToLong() || !entry.path("recordedAt").isTextual()) {
                return "is not a record: its JSON lacks cycleId, runId, cycle or recordedAt";
            }
            return new Intact(offset, length, MerkleTree.leafHash(payload), entry.get("cycleId").asText(),
                    entry.get("runId").asText(), entry.get("cycle").asLong(),
                    Instant.parse(entry.get("recordedAt").asText()));
        } catch (IOException | RuntimeException e) {
            return "is not a record: its payload is not JSON (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** @return the offset of the next record after a bad one at {@code offset} that verifies, or -1 when none */
    private long resync(long offset) {
        ByteBuffer h = ByteBuffer.wrap(all);
        int length = offset + 4 <= size ? h.getInt((int) offset) : -1;
        long skip = offset + Segment.HEADER + length;
        if (length > 0 && length <= Segment.MAX_RECORD && skip < size && read(skip) instanceof Intact) {
            return skip;
        }
        for (long p = offset + 1; p + Segment.HEADER < size; p++) {
            int l = h.getInt((int) p);
            // cheap test first: most offsets inside JSON text give a length far past the end
            if (l > 0 && l <= Segment.MAX_RECORD && p + Segment.HEADER + l <= size && read(p) instanceof Intact) {
                return p;
            }
        }
        return -1;
    }

    /** @return how many records {@code [offset, next)} held: 1 when that can be told from its header, else -1 */
    private long recordsBetween(long offset, long next) {
        ByteBuffer h = ByteBuffer.wrap(all, (int) offset, Segment.HEADER);
        int length = h.getInt();
        int crc = h.getInt();
        if (offset + Segment.HEADER + length == next) {
            return 1; // its length led to the next good record: its CRC or payload is what is damaged
        }
        long between = next - offset - Segment.HEADER;
        if (between > 0 && Segment.crc32c(bytes(offset + Segment.HEADER, next)) == crc) {
            return 1; // the bytes up to the next good record match its CRC: only its length field is damaged
        }
        return -1;
    }

    /**
     * @return the cycle id still legible in a damaged stretch, or null. A record holds it twice (the entry's and the
     *     snapshot's): when the two legible ones differ, the damage hit one of them, and both are given.
     */
    private String cycleIdIn(long offset, long end) {
        long to = Math.min(end, offset + Segment.HEADER + 4096);
        Matcher m = CYCLE_ID.matcher(new String(bytes(offset, to), StandardCharsets.ISO_8859_1));
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 2 && m.find(); i++) {
            ids.add(m.group(1));
        }
        return ids.isEmpty() ? null : String.join(" or ", ids);
    }
}
