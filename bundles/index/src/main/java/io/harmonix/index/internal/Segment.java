package io.harmonix.index.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;

/**
 * One segment file of a namespace's log, {@code segments/<first sequence, 20 digits>.seg}, and what is known of it.
 * Its records are a u32 length, a u32 CRC32C of the payload, then the payload; beside it,
 * {@code <first sequence>.idx} is its sparse offset index, (sequence, offset) of every {@value #SPARSE_EVERY}th
 * record as u64 pairs, so that a read from a sequence does not start at the top of the file.
 *
 * <p>The counts and the sparse index are guarded by the {@link NamespaceLog} that holds the segment.
 */
final class Segment {
    static final int HEADER = 8;
    static final int MAX_RECORD = 16 << 20;
    static final int SPARSE_EVERY = 64;

    final Path file;
    final long firstSeq;
    long count;
    long bytes;
    Instant lastRecordedAt;
    final Map<String, Long> maxCycleByRun = new HashMap<>();
    /** records of each run the segment holds: what a prune takes off a run's count, whatever the cycle ids say */
    final Map<String, Long> countByRun = new HashMap<>();
    /** (sequence, offset) of every SPARSE_EVERY-th record */
    final List<long[]> sparse = new ArrayList<>();
    /** (offset, end, records) of the damaged stretches (see {@link Damage}): reads step over them */
    final List<long[]> damaged = new ArrayList<>();

    /** Where {@link #readFrom} hands the records: answers false to stop. */
    interface RecordSink {
        boolean accept(long seq, byte[] payload) throws IOException;
    }

    /**
     * What {@link #verify} found.
     *
     * @param records how many records, from the first, are good
     * @param bytes how many bytes those take
     * @param problem what is wrong (a record's failure, or the file being short), or null when all is good
     * @param badSeq the sequence of the first bad record, or -1 when the problem is not a record's
     * @param badOffset the offset of the first bad record
     */
    record Verification(long records, long bytes, String problem, long badSeq, long badOffset) {
    }

    Segment(Path file, long firstSeq) {
        this.file = file;
        this.firstSeq = firstSeq;
    }

    /** @return a new, empty segment in {@code segmentsDir} whose first record is {@code firstSeq} */
    static Segment startingAt(Path segmentsDir, long firstSeq) {
        return new Segment(segmentsDir.resolve(String.format("%020d.seg", firstSeq)), firstSeq);
    }

    /** @return the first sequence a segment (or its sparse index) file holds, from its name */
    static long firstSeqOf(Path file) {
        return Long.parseLong(baseName(file));
    }

    String name() {
        return file.getFileName().toString();
    }

    private Path sparseIndexFile() {
        return file.resolveSibling(baseName(file) + ".idx");
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.indexOf('.'));
    }

    /** @return the file opened for appending records at its end */
    FileChannel openForAppend() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** @return a record as written: header, then payload */
    static ByteBuffer encode(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(payload.length).putInt(crc32c(payload)).put(payload).flip();
        return b;
    }

    /**
     * Counts a record written (or read back) at {@code offset}.
     *
     * @return its sequence
     */
    long add(long offset, int payloadLength, String runId, long cycle, Instant recordedAt) {
        long seq = firstSeq + count;
        if (count % SPARSE_EVERY == 0) {
            sparse.add(new long[] {seq, offset});
        }
        count++;
        bytes = offset + HEADER + payloadLength;
        maxCycleByRun.merge(runId, cycle, Math::max);
        countByRun.merge(runId, 1L, Long::sum);
        lastRecordedAt = recordedAt;
        return seq;
    }

    /** Counts a damaged stretch {@code [offset, end)} that held {@code records} records: reads step over it. */
    void skip(long offset, long end, long records) {
        damaged.add(new long[] {offset, end, records});
        count += records;
        bytes = end;
    }

    /**
     * Hands the records from sequence {@code from} on to {@code sink}, in order, starting at the nearest sparse index
     * entry before it.
     *
     * @param bytes how far the file holds records (what the log knows of it)
     * @return false when {@code sink} asked to stop
     */
    boolean readFrom(long from, long bytes, RecordSink sink) throws IOException {
        long offset = 0;
        long seq = firstSeq;
        for (long[] e : sparse) { // start at the nearest sparse entry at or before 'from'
            if (e[0] <= from) {
                seq = e[0];
                offset = e[1];
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (offset < bytes) {
                long[] gap = damagedAt(offset);
                if (gap != null) { // a damaged stretch: its records are not read, the ones after it are
                    offset = gap[1];
                    seq += gap[2];
                    continue;
                }
                int length = readHeader(ch, header, offset).length();
                if (seq >= from && !sink.accept(seq, readPayload(ch, offset, length))) {
                    return false;
                }
                offset += HEADER + length;
                seq++;
            }
        }
        return true;
    }

    private long[] damagedAt(long offset) {
        for (long[] d : damaged) {
            if (d[0] == offset) {
                return d;
            }
        }
        return null;
    }

    /**
     * Re-reads the first {@code count} records ({@code bytes} long), checking each length, CRC and Merkle leaf.
     *
     * @param leafOf the Merkle leaf the record of a sequence must hash to
     */
    Verification verify(long count, long bytes, LongFunction<byte[]> leafOf) throws IOException {
        long records = 0;
        long bytesRead = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < bytes) {
                return new Verification(records, bytesRead, "is " + ch.size() + " bytes, shorter than the " + bytes
                        + " its records need", -1, -1);
            }
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            for (long i = 0; i < count; i++) {
                long seq = firstSeq + i;
                Header h = readHeader(ch, header, offset);
                int length = h.length();
                if (!h.fits(offset, bytes)) {
                    return new Verification(records, bytesRead, "has an impossible length " + length, seq, offset);
                }
                byte[] payload = readPayload(ch, offset, length);
                if (crc32c(payload) != h.crc()) {
                    return new Verification(records, bytesRead, "fails its CRC32C", seq, offset);
                }
                byte[] leaf = MerkleTree.leafHash(payload);
                if (!Arrays.equals(leaf, leafOf.apply(seq))) {
                    return new Verification(records, bytesRead, "does not hash to its Merkle leaf", seq, offset);
                }
                offset += HEADER + length;
                bytesRead += HEADER + length;
                records++;
            }
        }
        return new Verification(records, bytesRead, null, -1, -1);
    }

    /** Writes the sparse offset index, unless its file already holds exactly that. */
    void writeSparse() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 * sparse.size());
        for (long[] e : sparse) {
            b.putLong(e[0]).putLong(e[1]);
        }
        Path idx = sparseIndexFile();
        if (!Files.exists(idx) || !Arrays.equals(Files.readAllBytes(idx), b.array())) {
            Files.write(idx, b.array());
        }
    }

    /** Deletes the segment and its sparse index. */
    void delete() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(sparseIndexFile());
    }

    static int crc32c(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    /** A record's header: its payload's length and CRC32C. */
    private record Header(int length, int crc) {
        /** @return whether a payload this long can stand at {@code offset} in a file holding {@code end} bytes */
        boolean fits(long offset, long end) {
            return length > 0 && length <= MAX_RECORD && offset + HEADER + length <= end;
        }
    }

    /** Reads the header of the record at {@code offset} into {@code buffer} (one per reader, reused). */
    private static Header readHeader(FileChannel ch, ByteBuffer buffer, long offset) throws IOException {
        buffer.clear();
        readFully(ch, buffer, offset);
        buffer.flip();
        return new Header(buffer.getInt(), buffer.getInt());
    }

    /** @return the payload of the record at {@code offset}, {@code length} bytes after its header */
    private static byte[] readPayload(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(ch, payload, offset + HEADER);
        return payload.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }

    /** Cuts {@code file} to {@code size} bytes, durably. */
    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }
}
