package io.harmonix.index.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.PruneReport;
import io.harmonix.index.api.RunSummary;
import io.harmonix.index.api.VerifyReport;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One namespace's log under {@code data/index/<namespace>/}:
 *
 * <pre>
 * segments/&lt;first sequence, 20 digits&gt;.seg   records: u32 length, u32 CRC32C of the payload, payload
 * segments/&lt;first sequence&gt;.idx              sparse offset index: (sequence, offset) every 64 records, u64 pairs
 * manifests/manifest.json                     segments, counts, runs, Merkle root and size, retention anchor
 * manifests/pruned-leaves.bin                 leaf hashes of pruned records (32 bytes each), kept for proofs
 * </pre>
 *
 * The payload is the canonical JSON of {@code {cycleId, runId, cycle, recordedAt, snapshot}}; the Merkle leaf is
 * SHA-256(0x00 || payload). One writer thread appends: requests that wait together share one sync (group
 * commit). At open, every segment is read and checked; a torn or corrupt tail of the last segment is cut and
 * reported; the manifest is rewritten when it disagrees with the segments.
 */
final class NamespaceLog implements Closeable {
    static final int HEADER = 8;
    static final int MAX_RECORD = 16 << 20;
    static final int SPARSE_EVERY = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A segment file and what the scan learned of it. */
    static final class Segment {
        final Path file;
        final long firstSeq;
        long count;
        long bytes;
        Instant lastRecordedAt;
        final Map<String, Long> maxCycleByRun = new HashMap<>();
        /** (sequence, offset) of every SPARSE_EVERY-th record */
        final List<long[]> sparse = new ArrayList<>();

        Segment(Path file, long firstSeq) {
            this.file = file;
            this.firstSeq = firstSeq;
        }

        String name() {
            return file.getFileName().toString();
        }
    }

    private static final class RunState {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long held;
    }

    private record Request(List<CycleSnapshot> snapshots, CompletableFuture<Integer> done) {
    }

    final String namespace;
    private final Path dir;
    private final Path segmentsDir;
    private final Path manifestsDir;
    private volatile IndexSettings settings;
    private final Consumer<String> report;

    private final List<Segment> segments = new ArrayList<>();
    private final MerkleTree tree = new MerkleTree();
    private final Map<String, Long> seqByCycleId = new HashMap<>();
    private final Map<String, RunState> runs = new TreeMap<>();
    private long prunedRecords;
    private long prunedBytes;
    private FileChannel active;
    private final List<ByteBuffer> pending = new ArrayList<>();
    /** Why appends are refused (a write failed), or null. */
    private String broken;
    private boolean manifestDirty;
    private long manifestWrittenAt;

    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;

    /**
     * Opens (creating, recovering) a namespace's log.
     *
     * @param report where recovery findings go (cut tails, rebuilt manifests)
     */
    NamespaceLog(Path root, String namespace, IndexSettings settings, Consumer<String> report) throws IOException {
        this.namespace = namespace;
        this.dir = root.resolve(namespace);
        this.segmentsDir = dir.resolve("segments");
        this.manifestsDir = dir.resolve("manifests");
        this.settings = settings;
        this.report = report;
        Files.createDirectories(segmentsDir);
        Files.createDirectories(manifestsDir);
        open();
        writer = new Thread(this::writeLoop, "harmonix-index-" + namespace);
        writer.setDaemon(true);
        writer.start();
    }

    void update(IndexSettings next) {
        this.settings = next;
    }

    // ---- open and recovery ------------------------------------------------------------------------------------

    private synchronized void open() throws IOException {
        List<Path> files;
        try (var list = Files.list(segmentsDir)) {
            files = list.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        long expectedFirst = -1;
        Path prunedLeaves = manifestsDir.resolve("pruned-leaves.bin");
        if (Files.exists(prunedLeaves)) {
            byte[] all = Files.readAllBytes(prunedLeaves);
            long firstKept = files.isEmpty() ? all.length / 32 : Long.parseLong(name(files.get(0)));
            if (all.length / 32 < firstKept) {
                throw new IOException("index " + namespace + ": " + prunedLeaves + " holds " + all.length / 32
                        + " leaf hashes, but the first segment starts at record " + firstKept
                        + ": the retention anchor is damaged");
            }
            for (long i = 0; i < firstKept; i++) {
                byte[] leaf = new byte[32];
                System.arraycopy(all, (int) (i * 32), leaf, 0, 32);
                tree.add(leaf);
            }
            prunedRecords = firstKept;
            if (all.length / 32 > firstKept) { // a prune that saved its leaves but did not delete its segments
                truncateFile(prunedLeaves, firstKept * 32);
            }
            expectedFirst = firstKept;
        }
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long first = Long.parseLong(name(f));
            if (expectedFirst >= 0 && first != expectedFirst) {
                throw new IOException("index " + namespace + ": segment " + f.getFileName() + " starts at record "
                        + first + ", but the records before end at " + expectedFirst + ": a segment is missing");
            }
            Segment s = new Segment(f, first);
            boolean last = i == files.size() - 1;
            long good = scan(s);
            long size = Files.size(f);
            if (good < size) {
                String what = "index " + namespace + ": segment " + f.getFileName() + " has a torn or corrupt tail at "
                        + "offset " + good + " (record " + (s.firstSeq + s.count) + "): " + (size - good)
                        + " bytes cut; the " + (s.firstSeq + s.count) + " records before it are intact";
                if (!last) {
                    throw new IOException(what.replace("bytes cut", "bytes unreadable") + " - but it is not the last "
                            + "segment; index:verify names the record, the data after it needs repair");
                }
                truncateFile(f, good);
                report.accept(what);
            }
            segments.add(s);
            writeSparse(s);
            expectedFirst = first + s.count;
        }
        if (segments.isEmpty()) {
            segments.add(new Segment(segmentsDir.resolve(segmentName(tree.size())), tree.size()));
        }
        Segment tail = segments.get(segments.size() - 1);
        active = FileChannel.open(tail.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        checkManifest();
    }

    /** Reads a segment's records, checking each CRC; returns the offset after the last good record. */
    private long scan(Segment s) throws IOException {
        long offset = 0;
        try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (offset + HEADER <= size) {
                header.clear();
                readFully(ch, header, offset);
                header.flip();
                int length = header.getInt();
                int crc = header.getInt();
                if (length <= 0 || length > MAX_RECORD || offset + HEADER + length > size) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(ch, payload, offset + HEADER);
                byte[] bytes = payload.array();
                if (crc32c(bytes) != crc) {
                    break;
                }
                JsonNode entry;
                try {
                    entry = JSON.readTree(bytes);
                } catch (IOException e) {
                    break;
                }
                accept(s, entry, bytes, offset);
                offset += HEADER + length;
            }
        }
        s.bytes = offset;
        return offset;
    }

    /** Takes a record into the in-memory state: tree, ids, runs, the segment's counts. */
    private void accept(Segment s, JsonNode entry, byte[] payload, long offset) {
        long seq = s.firstSeq + s.count;
        if (s.count % SPARSE_EVERY == 0) {
            s.sparse.add(new long[] {seq, offset});
        }
        s.count++;
        s.bytes = offset + HEADER + payload.length;
        tree.add(MerkleTree.leafHash(payload));
        String runId = entry.get("runId").asText();
        long cycle = entry.get("cycle").asLong();
        seqByCycleId.put(entry.get("cycleId").asText(), seq);
        RunState r = runs.computeIfAbsent(runId, k -> new RunState());
        r.first = Math.min(r.first, cycle);
        r.last = Math.max(r.last, cycle);
        r.held++;
        s.maxCycleByRun.merge(runId, cycle, Math::max);
        s.lastRecordedAt = Instant.parse(entry.get("recordedAt").asText());
    }

    /** Writes a segment's sparse offset index, unless the file already holds exactly that. */
    private void writeSparse(Segment s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 * s.sparse.size());
        for (long[] e : s.sparse) {
            b.putLong(e[0]).putLong(e[1]);
        }
        Path idx = s.file.resolveSibling(name(s.file) + ".idx");
        if (!Files.exists(idx) || !java.util.Arrays.equals(Files.readAllBytes(idx), b.array())) {
            Files.write(idx, b.array());
        }
    }

    // ---- appends ----------------------------------------------------------------------------------------------

    /** Appends through the writer thread; returns once durable as the sync policy says. */
    int append(List<CycleSnapshot> snapshots) throws IOException {
        if (closing) {
            throw new IOException("index " + namespace + " is closed");
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        queue.add(new Request(List.copyOf(snapshots), done));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while appending to index " + namespace, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void writeLoop() {
        while (!closing || !queue.isEmpty()) {
            List<Request> batch = new ArrayList<>();
            try {
                Request first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    flushManifestIfDue(false);
                    continue;
                }
                batch.add(first);
                IndexSettings s = settings;
                if (s.sync() == IndexSettings.Sync.GROUP && !s.groupDelay().isZero()) {
                    long end = System.nanoTime() + s.groupDelay().toNanos();
                    Request more;
                    while ((more = queue.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                        batch.add(more);
                    }
                }
                queue.drainTo(batch);
                write(batch, s.sync());
                flushManifestIfDue(false);
            } catch (InterruptedException e) {
                if (!closing) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IOException | RuntimeException e) {
                batch.forEach(r -> r.done.completeExceptionally(e));
            }
        }
    }

    private synchronized void write(List<Request> batch, IndexSettings.Sync sync) throws IOException {
        if (broken != null) {
            throw new IOException("index " + namespace + " refuses appends after a failed write (" + broken
                    + "); a restart recovers it from its segments");
        }
        Map<Request, Integer> appended = new LinkedHashMap<>();
        try {
            for (Request r : batch) {
                int n = 0;
                for (CycleSnapshot snapshot : r.snapshots) {
                    RunState run = runs.get(snapshot.runId());
                    if (run != null && snapshot.cycle() <= run.last) {
                        continue; // already indexed: appends are idempotent on the cycle
                    }
                    writeRecord(snapshot);
                    n++;
                }
                flushPending();
                if (sync == IndexSettings.Sync.ALWAYS && n > 0) {
                    active.force(false);
                }
                appended.put(r, n);
            }
            if (sync == IndexSettings.Sync.GROUP) {
                active.force(false);
            }
        } catch (IOException | RuntimeException e) {
            // memory may be ahead of the file now: no more appends until a restart rescans the segments
            broken = e.toString();
            throw e;
        }
        appended.forEach((r, n) -> r.done.complete(n));
    }

    /** Encodes a record into the pending buffers and takes it into the in-memory state. */
    private void writeRecord(CycleSnapshot snapshot) throws IOException {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("cycleId", snapshot.cycleId());
        entry.put("runId", snapshot.runId());
        entry.put("cycle", snapshot.cycle());
        entry.put("recordedAt", Instant.now().toString());
        entry.set("snapshot", CycleSnapshots.toTree(snapshot));
        byte[] payload = CycleSnapshots.canonicalJson(entry).getBytes(StandardCharsets.UTF_8);
        Segment s = segments.get(segments.size() - 1);
        if (s.bytes > 0 && s.bytes + HEADER + payload.length > settings.segmentBytes()) {
            flushPending();
            roll();
            s = segments.get(segments.size() - 1);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(payload.length).putInt(crc32c(payload)).put(payload).flip();
        pending.add(b);
        accept(s, entry, payload, s.bytes);
        manifestDirty = true;
    }

    /** Writes the pending records with one gathering write. */
    private void flushPending() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        ByteBuffer[] buffers = pending.toArray(new ByteBuffer[0]);
        long left = 0;
        for (ByteBuffer b : buffers) {
            left += b.remaining();
        }
        while (left > 0) {
            left -= active.write(buffers);
        }
        pending.clear();
    }

    /** Closes the active segment (forced, with its sparse index) and begins the next. */
    private void roll() throws IOException {
        Segment s = segments.get(segments.size() - 1);
        active.force(true);
        active.close();
        writeSparse(s);
        Segment next = new Segment(segmentsDir.resolve(segmentName(tree.size())), tree.size());
        segments.add(next);
        active = FileChannel.open(next.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        writeManifest();
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    synchronized long treeSize() {
        return tree.size();
    }

    synchronized boolean contains(String cycleId) {
        return seqByCycleId.containsKey(cycleId);
    }

    synchronized Long sequenceOf(String cycleId) {
        return seqByCycleId.get(cycleId);
    }

    /** Reads the records from sequence {@code from} on, in order, while {@code sink} answers true. */
    void read(long from, java.util.function.Predicate<IndexedCycle> sink) throws IOException {
        List<Segment> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(segments);
        }
        for (Segment s : snapshot) {
            long count;
            long bytes;
            synchronized (this) {
                count = s.count;
                bytes = s.bytes;
            }
            if (s.firstSeq + count <= from) {
                continue;
            }
            long offset = 0;
            long seq = s.firstSeq;
            for (long[] e : s.sparse) { // start at the nearest sparse entry at or before 'from'
                if (e[0] <= from) {
                    seq = e[0];
                    offset = e[1];
                }
            }
            try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                while (offset < bytes) {
                    header.clear();
                    readFully(ch, header, offset);
                    header.flip();
                    int length = header.getInt();
                    header.getInt();
                    if (seq >= from) {
                        ByteBuffer payload = ByteBuffer.allocate(length);
                        readFully(ch, payload, offset + HEADER);
                        JsonNode entry = JSON.readTree(payload.array());
                        IndexedCycle c = new IndexedCycle(namespace, seq, Instant.parse(entry.get("recordedAt")
                                .asText()), CycleSnapshots.fromTree(entry.get("snapshot")));
                        if (!sink.test(c)) {
                            return;
                        }
                    }
                    offset += HEADER + length;
                    seq++;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // pruned while we read: its records are gone
            }
        }
    }

    synchronized List<RunSummary> runs() {
        List<RunSummary> out = new ArrayList<>();
        runs.forEach((id, r) -> out.add(new RunSummary(id, r.first, r.last, r.held)));
        return out;
    }

    synchronized RunSummary run(String runId) {
        RunState r = runs.get(runId);
        return r == null ? null : new RunSummary(runId, r.first, r.last, r.held);
    }

    /** @return records ever appended (the next record's sequence) */
    synchronized long size() {
        return tree.size();
    }

    synchronized IndexStats stats() {
        long bytes = segments.stream().mapToLong(s -> s.bytes).sum();
        return new IndexStats(namespace, tree.size(), tree.size() - prunedRecords, segments.size(), bytes,
                prunedRecords, hex(tree.root()));
    }

    synchronized byte[] leaf(long seq) {
        return tree.leaf(seq);
    }

    synchronized byte[] root(long size) {
        return tree.root(size);
    }

    synchronized List<byte[]> inclusion(long seq, long size) {
        return tree.inclusion(seq, size);
    }

    synchronized List<byte[]> consistency(long oldSize, long newSize) {
        return tree.consistency(oldSize, newSize);
    }

    // ---- verify -----------------------------------------------------------------------------------------------

    /** Re-reads every segment: each record's length and CRC, its leaf against the tree, the manifest. */
    VerifyReport verify() throws IOException {
        List<Segment> snapshot;
        long held;
        synchronized (this) {
            snapshot = new ArrayList<>(segments);
            held = tree.size();
        }
        long records = 0;
        long bytesRead = 0;
        for (Segment s : snapshot) {
            long count;
            long bytes;
            synchronized (this) {
                count = s.count;
                bytes = s.bytes;
            }
            try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ)) {
                if (ch.size() < bytes) {
                    return new VerifyReport(namespace, records, bytesRead, false, "segment " + s.name() + " is "
                            + ch.size() + " bytes, shorter than the " + bytes + " its records need");
                }
                long offset = 0;
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                for (long i = 0; i < count; i++) {
                    long seq = s.firstSeq + i;
                    header.clear();
                    readFully(ch, header, offset);
                    header.flip();
                    int length = header.getInt();
                    int crc = header.getInt();
                    if (length <= 0 || length > MAX_RECORD || offset + HEADER + length > bytes) {
                        return bad(records, bytesRead, seq, s, offset, "has an impossible length " + length);
                    }
                    ByteBuffer payload = ByteBuffer.allocate(length);
                    readFully(ch, payload, offset + HEADER);
                    if (crc32c(payload.array()) != crc) {
                        return bad(records, bytesRead, seq, s, offset, "fails its CRC32C");
                    }
                    byte[] leaf = MerkleTree.leafHash(payload.array());
                    if (!java.util.Arrays.equals(leaf, leaf(seq))) {
                        return bad(records, bytesRead, seq, s, offset, "does not hash to its Merkle leaf");
                    }
                    offset += HEADER + length;
                    bytesRead += HEADER + length;
                    records++;
                }
            }
        }
        synchronized (this) {
            if (held != tree.size()) {
                return new VerifyReport(namespace, records, bytesRead, true, null); // grew meanwhile: checked prefix
            }
            JsonNode manifest = readManifest();
            if (manifest == null) {
                return new VerifyReport(namespace, records, bytesRead, false, "manifest missing");
            }
            if (manifest.path("merkle").path("treeSize").asLong() == tree.size()
                    && !manifest.path("merkle").path("root").asText().equals(hex(tree.root()))) {
                return new VerifyReport(namespace, records, bytesRead, false, "the manifest's Merkle root "
                        + manifest.path("merkle").path("root").asText() + " is not the root of the records, "
                        + hex(tree.root()));
            }
        }
        return new VerifyReport(namespace, records, bytesRead, true, null);
    }

    private VerifyReport bad(long records, long bytes, long seq, Segment s, long offset, String what) {
        String cycleId = null;
        synchronized (this) {
            for (var e : seqByCycleId.entrySet()) {
                if (e.getValue() == seq) {
                    cycleId = e.getKey();
                    break;
                }
            }
        }
        return new VerifyReport(namespace, records, bytes, false, "record " + seq + (cycleId == null ? ""
                : " (" + cycleId + ")") + " in segment " + s.name() + " at offset " + offset + " " + what);
    }

    // ---- retention ---------------------------------------------------------------------------------------------

    synchronized PruneReport prune(boolean dryRun, Instant now) throws IOException {
        IndexSettings.Retention rule = settings.retentionOf(namespace);
        List<Segment> closed = segments.subList(0, Math.max(0, segments.size() - 1));
        long total = segments.stream().mapToLong(s -> s.bytes).sum();
        List<Segment> chosen = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Segment s : closed) { // only a prefix of whole closed segments: the log stays a log
            String why = null;
            if (rule.maxAge() != null && s.lastRecordedAt != null
                    && s.lastRecordedAt.isBefore(now.minus(rule.maxAge()))) {
                why = "older than " + io.harmonix.config.api.Durations.format(rule.maxAge());
            } else if (rule.maxBytes() > 0 && total > rule.maxBytes()) {
                why = "namespace over " + rule.maxBytes() + " bytes";
            } else if (rule.maxPerRun() > 0 && s.maxCycleByRun.entrySet().stream()
                    .allMatch(e -> runs.get(e.getKey()).last - e.getValue() >= rule.maxPerRun())) {
                why = "each record has " + rule.maxPerRun() + " newer ones of its run";
            }
            if (why == null) {
                break;
            }
            chosen.add(s);
            reasons.add(s.name() + ": " + why);
            total -= s.bytes;
        }
        long records = chosen.stream().mapToLong(s -> s.count).sum();
        long bytes = chosen.stream().mapToLong(s -> s.bytes).sum();
        PruneReport out = new PruneReport(namespace, chosen.stream().map(Segment::name).toList(), records, bytes,
                reasons);
        if (dryRun || chosen.isEmpty()) {
            return out;
        }
        // 1. keep the pruned leaves (proofs of the rest need them), 2. the manifest's anchor, 3. delete the files
        long keepFrom = chosen.get(chosen.size() - 1).firstSeq + chosen.get(chosen.size() - 1).count;
        Path leaves = manifestsDir.resolve("pruned-leaves.bin");
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(prunedRecords * 32);
            ch.position(prunedRecords * 32);
            for (long i = prunedRecords; i < keepFrom; i++) {
                ch.write(ByteBuffer.wrap(tree.leaf(i)));
            }
            ch.force(true);
        }
        prunedRecords = keepFrom;
        prunedBytes += bytes;
        segments.removeAll(chosen);
        recountHeld();
        writeManifest();
        for (Segment s : chosen) {
            Files.deleteIfExists(s.file);
            Files.deleteIfExists(s.file.resolveSibling(name(s.file) + ".idx"));
        }
        return out;
    }

    /** Recomputes how many records of each run are held, and forgets the cycle ids of pruned records. */
    private void recountHeld() {
        long firstKept = prunedRecords;
        seqByCycleId.values().removeIf(seq -> seq < firstKept);
        runs.values().forEach(r -> r.held = 0);
        Map<String, Long> held = new HashMap<>();
        for (var e : seqByCycleId.entrySet()) {
            String run = e.getKey().substring(0, e.getKey().lastIndexOf(':'));
            held.merge(run, 1L, Long::sum);
        }
        held.forEach((run, n) -> runs.get(run).held = n);
    }

    // ---- manifest ----------------------------------------------------------------------------------------------

    private void flushManifestIfDue(boolean force) {
        synchronized (this) {
            if (manifestDirty && (force || System.currentTimeMillis() - manifestWrittenAt > 1000)) {
                try {
                    writeManifest();
                } catch (IOException e) {
                    report.accept("index " + namespace + ": manifest could not be written: " + e.getMessage());
                }
            }
        }
    }

    private ObjectNode manifest() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("formatVersion", 1);
        m.put("namespace", namespace);
        m.put("records", tree.size() - prunedRecords);
        ArrayNode segs = m.putArray("segments");
        for (Segment s : segments) {
            ObjectNode o = segs.addObject();
            o.put("file", s.name());
            o.put("firstSequence", s.firstSeq);
            o.put("records", s.count);
            o.put("bytes", s.bytes);
            o.put("lastRecordedAt", s.lastRecordedAt == null ? null : s.lastRecordedAt.toString());
        }
        ObjectNode r = m.putObject("runs");
        runs.forEach((id, run) -> r.putObject(id).put("firstCycle", run.first).put("lastCycle", run.last)
                .put("records", run.held));
        m.putObject("merkle").put("treeSize", tree.size()).put("root", hex(tree.root()));
        m.putObject("retention").put("prunedRecords", prunedRecords).put("prunedBytes", prunedBytes)
                .put("anchorRoot", hex(tree.root(prunedRecords)));
        return m;
    }

    private void writeManifest() throws IOException {
        Path target = manifestsDir.resolve("manifest.json");
        Path tmp = manifestsDir.resolve("manifest.json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest())));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        manifestDirty = false;
        manifestWrittenAt = System.currentTimeMillis();
    }

    private JsonNode readManifest() {
        try {
            return JSON.readTree(manifestsDir.resolve("manifest.json").toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /** At open: rewrite the manifest when it disagrees with what the segments hold. */
    private void checkManifest() throws IOException {
        JsonNode old = readManifest();
        ObjectNode now = manifest();
        if (old == null) {
            writeManifest();
            return;
        }
        prunedBytes = old.path("retention").path("prunedBytes").asLong();
        now = manifest();
        // compared as text: numbers read back may be of another node type than those written
        boolean same = old.path("merkle").toString().equals(now.path("merkle").toString())
                && old.path("segments").toString().equals(now.path("segments").toString());
        if (!same) {
            report.accept("index " + namespace + ": manifest rebuilt from the segments (it said " + old.path("merkle")
                    .path("treeSize").asLong() + " records, root " + old.path("merkle").path("root").asText()
                    + "; the segments hold " + tree.size() + ", root " + hex(tree.root()) + ")");
            writeManifest();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    @Override
    public void close() throws IOException {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (active.isOpen()) {
                active.force(true);
                active.close();
            }
            writeSparse(segments.get(segments.size() - 1));
            writeManifest();
        }
    }

    static int crc32c(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String segmentName(long firstSeq) {
        return String.format("%020d.seg", firstSeq);
    }

    private static String name(Path segment) {
        String n = segment.getFileName().toString();
        return n.substring(0, n.indexOf('.'));
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

    private static void truncateFile(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }
}
