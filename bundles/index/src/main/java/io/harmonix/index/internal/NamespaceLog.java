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
import io.harmonix.index.api.RepairReport;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One namespace's log under {@code data/index/<namespace>/}: its {@code segments/} (see {@link Segment}) and its
 * {@code manifests/} (see {@link NamespaceManifest}), and what it holds in memory: the Merkle tree of its records,
 * the sequence of each cycle id, and the cycles of each run.
 *
 * <p>A record's payload is the canonical JSON of {@code {cycleId, runId, cycle, recordedAt, snapshot}}; its Merkle
 * leaf is SHA-256(0x00 || payload). One writer thread appends: requests that wait together share one sync (group
 * commit). At open, every segment is read and checked ({@link LogRecovery}): a torn tail of the last segment is
 * cut and reported; damage followed by records that verify leaves the namespace damaged ({@link Damage}) until
 * {@link NamespaceRepair}; the manifest is rewritten when it disagrees with the segments.
 *
 * <p>Why about 700 lines in one class: the record format ({@link Segment}), reading the segments at open
 * ({@link LogRecovery}, {@link SegmentScan}), repairs ({@link NamespaceRepair}), the manifest
 * ({@link NamespaceManifest}) and the writer thread ({@link GroupCommit}) are already out. What is left shares one
 * invariant, kept under one lock: the segments on disk, the Merkle tree, the cycle-id index and the runs agree
 * after every append, prune and open. Splitting append, read, verify and prune into classes of their own would
 * have them all reach into that state. The runner's records written on their callers' threads ({@link #writeNow})
 * stay here for the same reason: they must take the lock a batch's write and sync hold.
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
    private MerkleTree tree = new MerkleTree();
    private final Map<String, Long> seqByCycleId = new HashMap<>();
    private final Map<String, RunState> runs = new TreeMap<>();
    private long prunedRecords;
    private long prunedBytes;
    private FileChannel active;
    private final List<ByteBuffer> pending = new ArrayList<>();
    /** Why appends are refused (a write failed), or null. */
    private String broken;
    /**
     * The damaged stretches found at open, in log order; empty when the log is intact. While there is one, the tree
     * holds the records before the first (the verified prefix), appends are refused, and the manifest is not
     * rewritten: its Merkle root is what a peer's copy of the damaged records is verified against.
     */
    private final List<Damage> damage = new ArrayList<>();
    /** While damaged: the leaf of every intact record from the first damaged one on (for a repair's root check). */
    private final Map<Long, byte[]> leavesAfterDamage = new HashMap<>();
    private final Path dir;
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
        this.dir = root.resolve(namespace);
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
            public int writeNow(List<CycleSnapshot> snapshots) throws IOException {
                return NamespaceLog.this.writeNow(snapshots);
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
        segments.addAll(LogRecovery.read(namespace, files, expectedFirst, report, new LogRecovery.Sink() {
            @Override
            public void intact(Segment s, SegmentScan.Intact r) {
                accept(s, r);
            }

            @Override
            public void damaged(Damage d) {
                damage.add(d);
            }
        }));
        for (int i = 0; i < damage.size(); i++) {
            Damage d = damage.get(i);
            long from = d.firstSeq() + Math.max(0, d.records());
            damage.set(i, d.withAfter(seqByCycleId.values().stream().filter(q -> q >= from).count()));
        }
        if (segments.isEmpty()) {
            segments.add(Segment.startingAt(segmentsDir, tree.size()));
        }
        active = segments.get(segments.size() - 1).openForAppend();
        checkManifest();
    }

    /** Takes an intact record into the in-memory state: tree (or, past a damage, its leaf aside), ids, runs. */
    private void accept(Segment s, SegmentScan.Intact r) {
        long seq = s.add(r.offset(), r.length(), r.runId(), r.cycle(), r.recordedAt());
        if (damage.isEmpty()) {
            tree.add(r.leaf());
        } else {
            leavesAfterDamage.put(seq, r.leaf());
        }
        indexRecord(seq, r.cycleId(), r.runId(), r.cycle());
    }

    private void indexRecord(long seq, String cycleId, String runId, long cycle) {
        seqByCycleId.put(cycleId, seq);
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

    /** See {@link GroupCommit#appendDeferred}. */
    CompletableFuture<Integer> appendDeferred(List<CycleSnapshot> snapshots) throws IOException {
        return writer.appendDeferred(snapshots);
    }

    /** Writes a batch of appends with one sync (the writer thread's work). */
    private synchronized void write(List<GroupCommit.Request> batch, IndexSettings.Sync sync) throws IOException {
        checkWritable();
        Map<GroupCommit.Request, Integer> appended = new LinkedHashMap<>();
        boolean writtenByCallers = false;
        try {
            for (GroupCommit.Request r : batch) {
                if (r.written() != null && r.written().isDone()) {
                    // written by its caller already (GroupCommit.appendDeferred): it only waits for this sync
                    int n = r.written().join();
                    appended.put(r, n);
                    writtenByCallers |= n > 0;
                    continue;
                }
                int n = writeRecords(r.snapshots());
                if (sync == IndexSettings.Sync.ALWAYS && n > 0) {
                    active.force(false);
                }
                appended.put(r, n);
            }
            // deferred appends go on now: their sync comes next, while their callers do something else
            appended.forEach((r, n) -> {
                if (r.written() != null) {
                    r.written().complete(n);
                }
            });
            // callers' writes are forced here also when the policy became `always` since they wrote (its own
            // per-request force above covers only what this thread wrote)
            if (sync == IndexSettings.Sync.GROUP || (sync == IndexSettings.Sync.ALWAYS && writtenByCallers)) {
                active.force(false);
            }
        } catch (IOException | RuntimeException e) {
            // memory may be ahead of the file now: no more appends until a restart rescans the segments
            broken = e.toString();
            throw e;
        }
        appended.forEach((r, n) -> r.done().complete(n));
    }

    /**
     * Writes {@code snapshots} at once on the caller's thread, not synced: the writer thread syncs them with its
     * next group (see {@link GroupCommit#appendDeferred}). Handing the write to that thread cost the runner two
     * thread wake-ups per cycle, a sixth of a cycle's time, for nothing the record's guarantee needs.
     *
     * @return how many of them were new
     */
    synchronized int writeNow(List<CycleSnapshot> snapshots) throws IOException {
        checkWritable();
        if (Thread.currentThread().isInterrupted()) {
            // a FileChannel closes itself when a thread writing it is interrupted (ClosedByInterruptException): the
            // log every run shares would break for one run's thread interrupted at a close (left to the writer thread
            // before, which nobody interrupts)
            throw new java.io.InterruptedIOException("interrupted before appending to index " + namespace);
        }
        try {
            return writeRecords(snapshots);
        } catch (IOException | RuntimeException e) {
            broken = e.toString(); // as in write: memory may be ahead of the file now
            throw e;
        }
    }

    private void checkWritable() throws IOException {
        if (!damage.isEmpty()) {
            throw new IOException(refusal());
        }
        if (broken != null) {
            throw new IOException("index " + namespace + " refuses appends after a failed write (" + broken
                    + "); a restart recovers it from its segments");
        }
    }

    /** Writes the records of {@code snapshots} the log does not hold yet with one gathering write. */
    private int writeRecords(List<CycleSnapshot> snapshots) throws IOException {
        int n = 0;
        for (CycleSnapshot snapshot : snapshots) {
            RunState run = runs.get(snapshot.runId());
            if (run != null && snapshot.cycle() <= run.last) {
                continue; // already indexed: appends are idempotent on the cycle
            }
            writeRecord(snapshot);
            n++;
        }
        flushPending();
        return n;
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
        long seq = s.add(s.bytes, payload.length, snapshot.runId(), snapshot.cycle(),
                Instant.parse(entry.get("recordedAt").asText()));
        tree.add(MerkleTree.leafHash(payload));
        indexRecord(seq, snapshot.cycleId(), snapshot.runId(), snapshot.cycle());
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
        // damaged: the tree (size, root) is the verified prefix; the records held are every intact one
        return new IndexStats(namespace, tree.size(), damage.isEmpty() ? tree.size() - prunedRecords
                : seqByCycleId.size(), segments.size(), bytes, prunedRecords, hex(tree.root()));
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
            if (!damage.isEmpty()) { // what the open found stays so until a repair: the bytes are not read again
                return new VerifyReport(namespace, seqByCycleId.size(), segments.stream().mapToLong(s -> s.bytes)
                        .sum(), false, "damaged: " + String.join("; and ", damage.stream().map(Damage::describe)
                        .toList()) + "; appends are refused until index:repair " + namespace);
            }
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
        if (!damage.isEmpty()) { // the pruned leaves would have to come from a tree that lacks the damaged ones
            return new PruneReport(namespace, List.of(), 0, 0, List.of("retention waits: the namespace is damaged "
                    + "(index:verify, index:repair " + namespace + ")"));
        }
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
        // 1. keep the pruned leaves (proofs of the rest need them), 2. the manifest's anchor, 3. delete the files.
        // Nothing in memory changes before the manifest is written: a failure up to there leaves the log as it was
        // (the extra leaves saved are cut by the next prune or the next open), so a prune never half-applies.
        long keepFrom = chosen.get(chosen.size() - 1).firstSeq + chosen.get(chosen.size() - 1).count;
        List<Segment> kept = new ArrayList<>(segments.subList(chosen.size(), segments.size()));
        Map<String, RunState> runsAfter = runsHeldIn(kept);
        manifests.savePrunedLeaves(prunedRecords, keepFrom, tree);
        manifests.write(NamespaceManifest.of(new NamespaceManifest.Content(namespace, tree, kept, runsAfter,
                keepFrom, prunedBytes + bytes)));
        manifestDirty = false;
        manifestWrittenAt = System.currentTimeMillis();
        prunedRecords = keepFrom;
        prunedBytes += bytes;
        segments.removeAll(chosen);
        runs.clear();
        runs.putAll(runsAfter);
        seqByCycleId.values().removeIf(seq -> seq < keepFrom);
        for (Segment s : chosen) {
            try {
                s.delete();
            } catch (IOException e) {
                // the prune stands (manifest and memory agree); the next open finds the file and undoes it there
                report.accept("index " + namespace + ": pruned segment " + s.name() + " could not be deleted: " + e);
            }
        }
        return out;
    }

    /**
     * The runs as they are once only {@code kept} remain: every run keeps its first and last cycle (appends stay
     * idempotent on pruned cycles), its count is what those segments hold. Counted from the segments, not from the
     * cycle ids, which a record that breaks the id rules ({@code cycleId} not {@code runId:cycle}) would mislead.
     */
    private Map<String, RunState> runsHeldIn(List<Segment> kept) {
        Map<String, RunState> after = new TreeMap<>();
        runs.forEach((id, r) -> {
            RunState copy = new RunState();
            copy.first = r.first;
            copy.last = r.last;
            after.put(id, copy);
        });
        for (Segment s : kept) {
            s.countByRun.forEach((id, n) -> after.computeIfAbsent(id, k -> new RunState()).held += n);
        }
        return after;
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
        if (!damage.isEmpty()) {
            return; // its Merkle root is what a copy of the damaged records is checked against: keep it
        }
        manifests.write(manifest());
        manifestDirty = false;
        manifestWrittenAt = System.currentTimeMillis();
    }

    /** At open: rewrite the manifest when it disagrees with what the segments hold. */
    private void checkManifest() throws IOException {
        if (!damage.isEmpty()) {
            report.accept(refusal());
            return;
        }
        JsonNode old = manifests.read();
        if (old == null) {
            writeManifest();
            return;
        }
        prunedBytes = old.path("retention").path("prunedBytes").asLong();
        // runs retention pruned whole: their last cycle keeps appends idempotent across restarts (the runner's
        // recovery hands the index the last snapshot of every finished run again)
        NamespaceManifest.runsPrunedWhole(old).forEach((id, pruned) -> {
            RunState r = runs.computeIfAbsent(id, k -> new RunState());
            r.first = Math.min(r.first, pruned.first);
            r.last = Math.max(r.last, pruned.last);
        });
        if (!NamespaceManifest.agrees(old, manifest())) {
            report.accept("index " + namespace + ": manifest rebuilt from the segments (it said " + old.path("merkle")
                    .path("treeSize").asLong() + " records, root " + old.path("merkle").path("root").asText()
                    + "; the segments hold " + tree.size() + ", root " + hex(tree.root()) + ")");
            writeManifest();
        }
    }

    // ---- damage and repair -------------------------------------------------------------------------------------

    /** Why appends are refused while the log is damaged: appending after it would fork the history it had. */
    private String refusal() {
        return "index " + namespace + " is damaged and refuses appends (they would fork its history): "
                + damage.get(0).describe() + (damage.size() > 1 ? " (and " + (damage.size() - 1) + " more)" : "")
                + "; index:repair " + namespace + " says the ways out";
    }

    /** See {@link io.harmonix.index.api.CycleIndex#repair}. */
    synchronized RepairReport repair(Path from, boolean truncate) throws IOException {
        List<String> found = damage.stream().map(Damage::describe).toList();
        if (damage.isEmpty()) {
            return new RepairReport(namespace, found, null, List.of());
        }
        NamespaceRepair repair = new NamespaceRepair(namespace, dir, segments, damage);
        Segment last = segments.get(segments.size() - 1);
        long total = last.firstSeq + last.count;
        JsonNode manifest = manifests.read();
        if (from == null && !truncate) {
            return new RepairReport(namespace, found, null, repair.ways(manifest, total));
        }
        active.close(); // the segments may be replaced; the log is read again in any case
        String done;
        try {
            done = truncate ? repair.truncate(total) : repair.restore(from, manifest, total,
                    seq -> seq < tree.size() ? tree.leaf(seq) : leavesAfterDamage.get(seq));
        } finally {
            reload();
        }
        if (!damage.isEmpty()) {
            throw new IOException("index " + namespace + ": still damaged after the repair (" + done + "): "
                    + damage.get(0).describe());
        }
        report.accept("index " + namespace + " repaired: " + done);
        return new RepairReport(namespace, found, done, List.of());
    }

    /** Forgets what is in memory and reads the segments again, as at open. */
    private void reload() throws IOException {
        if (active.isOpen()) {
            active.close();
        }
        segments.clear();
        tree = new MerkleTree();
        seqByCycleId.clear();
        runs.clear();
        damage.clear();
        leavesAfterDamage.clear();
        pending.clear();
        prunedRecords = 0;
        prunedBytes = 0;
        broken = null;
        manifestDirty = false;
        open();
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
