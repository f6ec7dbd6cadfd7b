package io.harmonix.index.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A namespace's {@code manifests/} folder:
 *
 * <pre>
 * manifest.json        segments, counts, runs, Merkle root and size, retention anchor (rewritten whole, atomically)
 * pruned-leaves.bin    leaf hashes of pruned records (32 bytes each), kept for proofs of the records that remain
 * </pre>
 *
 * The manifest says what the segments hold; the segments are the truth, so a manifest that disagrees with them is
 * rebuilt from them when the log opens.
 */
final class NamespaceManifest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path manifest;
    private final Path prunedLeaves;

    NamespaceManifest(Path dir) throws IOException {
        this.dir = dir;
        this.manifest = dir.resolve("manifest.json");
        this.prunedLeaves = dir.resolve("pruned-leaves.bin");
        Files.createDirectories(dir);
    }

    /** The state of a namespace the manifest describes. */
    record Content(String namespace, MerkleTree tree, List<Segment> segments, Map<String, NamespaceLog.RunState> runs,
            long prunedRecords, long prunedBytes) {
    }

    /** @return the manifest of {@code c}, as {@link #write} writes it */
    static ObjectNode of(Content c) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("formatVersion", 1);
        m.put("namespace", c.namespace());
        m.put("records", c.tree().size() - c.prunedRecords());
        ArrayNode segs = m.putArray("segments");
        for (Segment s : c.segments()) {
            ObjectNode o = segs.addObject();
            o.put("file", s.name());
            o.put("firstSequence", s.firstSeq);
            o.put("records", s.count);
            o.put("bytes", s.bytes);
            o.put("lastRecordedAt", s.lastRecordedAt == null ? null : s.lastRecordedAt.toString());
        }
        ObjectNode r = m.putObject("runs");
        c.runs().forEach((id, run) -> r.putObject(id).put("firstCycle", run.first).put("lastCycle", run.last)
                .put("records", run.held));
        m.putObject("merkle").put("treeSize", c.tree().size()).put("root", NamespaceLog.hex(c.tree().root()));
        m.putObject("retention").put("prunedRecords", c.prunedRecords()).put("prunedBytes", c.prunedBytes())
                .put("anchorRoot", NamespaceLog.hex(c.tree().root(c.prunedRecords())));
        return m;
    }

    /**
     * @return whether a manifest read back says what {@code now} says of the segments and the Merkle tree (the
     *     runs and the retention counts follow from those)
     */
    static boolean agrees(JsonNode old, ObjectNode now) {
        // compared as text: numbers read back may be of another node type than those written
        return old.path("merkle").toString().equals(now.path("merkle").toString())
                && old.path("segments").toString().equals(now.path("segments").toString());
    }

    /**
     * @return the runs a manifest read back says retention pruned whole (count 0), which no segment names any more,
     *     with their first and last cycle. Only count 0 is taken: it comes from a prune, whose manifest is written
     *     before its segments are deleted, so a lost (torn) tail can never have made it claim a cycle the segments
     *     do not hold.
     */
    static Map<String, NamespaceLog.RunState> runsPrunedWhole(JsonNode manifest) {
        Map<String, NamespaceLog.RunState> out = new java.util.TreeMap<>();
        manifest.path("runs").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            if (m.path("records").asLong(-1) == 0 && m.path("firstCycle").canConvertToLong()
                    && m.path("lastCycle").canConvertToLong()) {
                NamespaceLog.RunState r = new NamespaceLog.RunState();
                r.first = m.path("firstCycle").asLong();
                r.last = m.path("lastCycle").asLong();
                out.put(e.getKey(), r);
            }
        });
        return out;
    }

    /** Writes the manifest durably: a temporary file, forced, then moved over the old one. */
    void write(ObjectNode m) throws IOException {
        Path tmp = dir.resolve("manifest.json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m)));
            ch.force(true);
        }
        try {
            Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, manifest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** @return the manifest, or null when it is missing or unreadable */
    JsonNode read() {
        try {
            return JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Puts the leaf hashes of the pruned records back at the start of {@code tree} (empty), and forgets the leaves
     * a prune saved but did not delete the segments of.
     *
     * @param firstSegmentSeq the first record of the first segment, or -1 when there is no segment
     * @return how many records were pruned, where the first segment must start; -1 when none ever was
     * @throws IOException when fewer leaves are kept than records were pruned: the retention anchor is damaged
     */
    long restorePrunedLeaves(String namespace, long firstSegmentSeq, MerkleTree tree) throws IOException {
        if (!Files.exists(prunedLeaves)) {
            return -1;
        }
        byte[] all = Files.readAllBytes(prunedLeaves);
        long firstKept = firstSegmentSeq < 0 ? all.length / 32 : firstSegmentSeq;
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
        if (all.length / 32 > firstKept) { // a prune that saved its leaves but did not delete its segments
            Segment.truncate(prunedLeaves, firstKept * 32);
        }
        return firstKept;
    }

    /** Appends the leaves of records {@code from} to {@code to} (excluded), after the first {@code from}, durably. */
    void savePrunedLeaves(long from, long to, MerkleTree tree) throws IOException {
        try (FileChannel ch = FileChannel.open(prunedLeaves, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(from * 32);
            ch.position(from * 32);
            for (long i = from; i < to; i++) {
                ch.write(ByteBuffer.wrap(tree.leaf(i)));
            }
            ch.force(true);
        }
    }
}
