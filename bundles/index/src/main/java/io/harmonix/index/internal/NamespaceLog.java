package io.harmonix.index.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One namespace's log under {@code data/index/<namespace>/}: its {@code segments/} (see {@link Segment}) and its
 * {@code manifests/} (see {@link NamespaceManifest}), and what it holds in memory: the Merkle tree of its records,
 * the sequence of each cycle id, and the cycles of each run.
 *
 * <p>A record's payload is the canonical JSON of {@code {cycleId, runId, cycle, recordedAt, snapshot}}; its Merkle
 * leaf is SHA-256(0x00 || payload). One writer thread appends: requests that wait together share one sync (group
 * commit). At open, every segment is read and checked; a torn or corrupt tail of the last segment is cut and
 * reported; the manifest is rewritten when it disagrees with the segments.
 *
 * <p>Why about 500 lines in one class: the record format and scan ({@link Segment}), the manifest
 * ({@link NamespaceManifest}) and the writer thread ({@link GroupCommit}) are already out. What is left shares one
 * invariant, kept under one lock: the segments on disk, the Merkle tree, the cycle-id index and the runs agree
 * after every append, prune and open. Splitting append, read, verify and prune into classes of their own would
 * have them all reach into that state.
 */
final class NamespaceLog implements Closeable {
    /** The cycles of a run the namespace holds. */
    static final class RunState {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long held;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final String namespace;
    private final Path segmentsDir;
    private final NamespaceManifest manifests;
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

    private final GroupCommit writer;

    /**
     * Opens (creating, recovering) a namespace's log.
     *
     * @param report where recovery findings go (cut tails, rebuilt manifests)
     */
    NamespaceLog(Path root, String namespace, IndexSettings settings, Consumer<String> report) throws IOException {
        this.namespace = namespace;
        Path dir = root.resolve(namespace);
        this.segmentsDir = dir.resolve("segments");
        this.settings = settings;
        this.report = report;
        Files.createDirectories(segmentsDir);
        this.manifests = new NamespaceManifest(dir.resolve("manifests"));
        open();
        writer = new GroupCommit(namespace, () -> this.settings, new GroupCommit.Writer() {
            @Override
            public void write(List<GroupCommit.Request> batch, IndexSettings.Sync sync) throws IOException {
                NamespaceLog.this.write(batch, sync);
            }

            @Override
            public void between() {
                flushManifestIfDue(false);
            }
        });
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
        long expectedFirst = manifests.restorePrunedLeaves(namespace,
                files.isEmpty() ? -1 : Segment.firstSeqOf(files.get(0)), tree);
        if (expectedFirst >= 0) {
            prunedRecords = expectedFirst;
        }
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long first = Segment.firstSeqOf(f);
            if (expectedFirst >= 0 && first != expectedFirst) {
                throw new IOException("index " + namespace + ": segment " + f.getFileName() + " starts at record "
                        + first + ", but the records before end at " + expectedFirst + ": a segment is missing");
            }
            Segment s = new Segment(f, first);
            boolean last = i == files.size() - 1;
            long good = s.scan((entry, payload, offset) -> accept(s, entry, payload, offset));
            long size = Files.size(f);
            if (good < size) {
                String what = "index " + namespace + ": segment " + f.getFileName() + " has a torn or corrupt tail at "
                        + "offset " + good + " (record " + (s.firstSeq + s.count) + "): " + (size - good)
                        + " bytes cut; the " + (s.firstSeq + s.count) + " records before it are intact";
                if (!last) {
                    throw new IOException(what.replace("bytes cut", "bytes unreadable") + " - but it is not the last "
                            + "segment; index:verify names the record, the data after it needs repair");
                }
                Segment.truncate(f, good);
                report.accept(what);
            }
            segments.add(s);
            s.writeSparse();
            expectedFirst = first + s.count;
        }
        if (segments.isEmpty()) {
            segments.add(Segment.startingAt(segmentsDir, tree.size()));
        }
        active = segments.get(segments.size() - 1).openForAppend();
        checkManifest();
    }

    /** Takes a record into the in-memory state: tree, ids, runs, the segment's counts. */
    private void accept(Segment s, JsonNode entry, byte[] payload, long offset) {
        String runId = entry.get("runId").asText();
        long cycle = entry.get("cycle").asLong();
        long seq = s.add(offset, payload.length, runId, cycle, Instant.parse(entry.get("recordedAt").asText()));
        tree.add(MerkleTree.leafHash(payload));
        seqByCycleId.put(entry.get("cycleId").asText(), seq);
        RunState r = runs.computeIfAbsent(runId, k -> new RunState());
        r.first = Math.min(r.first, cycle);
        r.last = Math.max(r.last, cycle);
        r.held++;
    }

    // ---- appends ----------------------------------------------------------------------------------------------

    /** Appends through the writer thread; returns once durable as the sync policy says. */
    int append(List<CycleSnapshot> snapshots) throws IOException {
        return writer.append(snapshots);
    }

    /** Writes a batch of appends with one sync (the writer thread's work). */
    private synchronized void write(List<GroupCommit.Request> batch, IndexSettings.Sync sync) throws IOException {
        if (broken != null) {
            throw new IOException("index " + namespace + " refuses appends after a failed write (" + broken
                    + "); a restart recovers it from its segments");
        }
        Map<GroupCommit.Request, Integer> appended = new LinkedHashMap<>();
        try {
            for (GroupCommit.Request r : batch) {
                int n = 0;
                for (CycleSnapshot snapshot : r.snapshots()) {
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
        appended.forEach((r, n) -> r.done().complete(n));
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
        if (s.bytes > 0 && s.bytes + Segment.HEADER + payload.length > settings.segmentBytes()) {
            flushPending();
            roll();
            s = segments.get(segments.size() - 1);
        }
        pending.add(Segment.encode(payload));
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
        s.writeSparse();
        Segment next = Segment.startingAt(segmentsDir, tree.size());
        segments.add(next);
        active = next.openForAppend();
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

    /** How far a segment is written: its records and their bytes, read together. */
    private record Extent(long count, long bytes) {
    }

    /**
     * A segment's extent as of now, taken under this log's lock (appends move count and bytes under it), so that a
     * reader outside the lock goes no further than records wholly written.
     */
    private synchronized Extent extent(Segment s) {
        return new Extent(s.count, s.bytes);
    }

    /** Reads the records from sequence {@code from} on, in order, while {@code sink} answers true. */
    void read(long from, java.util.function.Predicate<IndexedCycle> sink) throws IOException {
        List<Segment> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(segments);
        }
        for (Segment s : snapshot) {
            Extent extent = extent(s);
            if (s.firstSeq + extent.count() <= from) {
                continue;
            }
            try {
                boolean more = s.readFrom(from, extent.bytes(), (seq, payload) -> {
                    JsonNode entry = JSON.readTree(payload);
                    return sink.test(new IndexedCycle(namespace, seq, Instant.parse(entry.get("recordedAt").asText()),
                            CycleSnapshots.fromTree(entry.get("snapshot"))));
                });
                if (!more) {
                    return;
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
            Extent extent = extent(s);
            Segment.Verification v = s.verify(extent.count(), extent.bytes(), this::leaf);
            records += v.records();
            bytesRead += v.bytes();
            if (v.problem() != null) {
                return v.badSeq() < 0
                        ? new VerifyReport(namespace, records, bytesRead, false, "segment " + s.name() + " "
                                + v.problem())
                        : bad(records, bytesRead, v.badSeq(), s, v.badOffset(), v.problem());
            }
        }
        synchronized (this) {
            if (held != tree.size()) {
                return new VerifyReport(namespace, records, bytesRead, true, null); // grew meanwhile: checked prefix
            }
            JsonNode manifest = manifests.read();
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
        manifests.savePrunedLeaves(prunedRecords, keepFrom, tree);
        prunedRecords = keepFrom;
        prunedBytes += bytes;
        segments.removeAll(chosen);
        recountHeld();
        writeManifest();
        for (Segment s : chosen) {
            s.delete();
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
            // a broken log's memory may be ahead of its segments: never describe that in a manifest (nor retry,
            // and report, every 200 ms on a full disk); the reopened log writes the right one
            if (broken == null && manifestDirty && (force || System.currentTimeMillis() - manifestWrittenAt > 1000)) {
                try {
                    writeManifest();
                } catch (IOException e) {
                    report.accept("index " + namespace + ": manifest could not be written: " + e.getMessage());
                }
            }
        }
    }

    private ObjectNode manifest() {
        return NamespaceManifest.of(new NamespaceManifest.Content(namespace, tree, segments, runs, prunedRecords,
                prunedBytes));
    }

    private void writeManifest() throws IOException {
        manifests.write(manifest());
        manifestDirty = false;
        manifestWrittenAt = System.currentTimeMillis();
    }

    /** At open: rewrite the manifest when it disagrees with what the segments hold. */
    private void checkManifest() throws IOException {
        JsonNode old = manifests.read();
        if (old == null) {
            writeManifest();
            return;
        }
        prunedBytes = old.path("retention").path("prunedBytes").asLong();
        if (!NamespaceManifest.agrees(old, manifest())) {
            report.accept("index " + namespace + ": manifest rebuilt from the segments (it said " + old.path("merkle")
                    .path("treeSize").asLong() + " records, root " + old.path("merkle").path("root").asText()
                    + "; the segments hold " + tree.size() + ", root " + hex(tree.root()) + ")");
            writeManifest();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** @return why appends are refused (a write failed; see {@link IndexService} for the reopen), or null */
    synchronized String broken() {
        return broken;
    }

    /**
     * Lets go of a broken log without writing anything more: its memory may be ahead of its segments, which a
     * new open rescans (cutting a torn tail) instead.
     */
    void abandon() throws IOException {
        writer.close();
        synchronized (this) {
            active.close();
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
        synchronized (this) {
            if (active.isOpen()) {
                active.force(true);
                active.close();
            }
            segments.get(segments.size() - 1).writeSparse();
            writeManifest();
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
