package io.harmonix.index.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The two ways out of a damaged namespace ({@link Damage}), on its files; the {@link NamespaceLog} reads itself
 * again afterwards. Neither deletes a byte: the segments it replaces or cuts are moved, whole, to
 * {@code <namespace>/damaged/<time>/}.
 *
 * <ul>
 *   <li>{@link #restore}: the damaged records are taken from a peer's copy of the namespace, by sequence, and
 *       accepted only when the leaves of the whole log, theirs included, give the Merkle root the manifest kept
 *       (the manifest is not rewritten while the log is damaged, for this check). A copy that does not verify
 *       changes nothing.
 *   <li>{@link #truncate}: the log is cut before the first bad record; the records after it, intact ones
 *       included, leave the log (they stay in the segments kept aside).
 * </ul>
 */
final class NamespaceRepair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String namespace;
    private final Path dir;
    private final List<Segment> segments;
    private final List<Damage> damage;

    /**
     * @param dir the namespace's folder ({@code data/index/<namespace>})
     * @param segments the log's segments, as read
     * @param damage the damaged stretches, in log order (at least one)
     */
    NamespaceRepair(String namespace, Path dir, List<Segment> segments, List<Damage> damage) {
        this.namespace = namespace;
        this.dir = dir;
        this.segments = segments;
        this.damage = damage;
    }

    /** @return the ways out, as the commands to give and what each does */
    List<String> ways(JsonNode manifest, long total) {
        String noRestore = whyNoRestore(manifest, total);
        Damage first = damage.get(0);
        return List.of("index:repair " + namespace + " --from DIR: restore the damaged records from a peer's copy of "
                        + "the namespace (its runtime's data/index folder, or a copy of its " + namespace
                        + " folder), each verified against the Merkle root the manifest keeps"
                        + (noRestore == null ? "" : " - not possible here: " + noRestore),
                "index:repair " + namespace + " --truncate: cut the log before record " + first.firstSeq() + " ("
                        + (total - first.firstSeq()) + " record(s) leave it, the intact ones after the damage "
                        + "included); the segments cut are kept in " + dir.resolve("damaged"));
    }

    /** @return why a restore from a copy cannot work (the manifest gives no root to check it against), or null */
    String whyNoRestore(JsonNode manifest, long total) {
        for (Damage d : damage) {
            if (d.records() < 0) {
                return "how many records the damage at offset " + d.offset() + " of segment " + d.segment()
                        + " held cannot be told, so a copy cannot be put in their place";
            }
        }
        if (manifest == null || !manifest.path("merkle").path("root").isTextual()) {
            return "the manifest is missing or unreadable: no Merkle root to check a copy against";
        }
        long size = manifest.path("merkle").path("treeSize").asLong();
        Damage last = damage.get(damage.size() - 1);
        if (size < last.firstSeq() + last.records()) {
            return "the manifest's Merkle root covers " + size + " records, but the damage reaches record "
                    + (last.firstSeq() + last.records() - 1) + ": a copy of it cannot be verified";
        }
        if (size > total) {
            return "the manifest's Merkle root covers " + size + " records, the segments hold " + total;
        }
        return null;
    }

    /**
     * Puts the damaged records back from a peer's copy, each segment rewritten whole (temporary file, forced,
     * moved in place), the damaged one kept aside.
     *
     * @param from a peer runtime's index folder ({@code data/index}), a copy of this namespace's folder, or a
     *     folder of its {@code .seg} files
     * @param leafOf the leaf of an intact record of this log, null for a damaged one
     * @return what was done
     * @throws IOException when the copy lacks a record or does not give the manifest's root (nothing changed)
     */
    String restore(Path from, JsonNode manifest, long total, LongFunction<byte[]> leafOf) throws IOException {
        String why = whyNoRestore(manifest, total);
        if (why != null) {
            throw new IOException("index " + namespace + ": cannot restore from a copy: " + why + "; index:repair "
                    + namespace + " --truncate cuts the log before it");
        }
        PeerCopy peer = new PeerCopy(segmentsOf(from));
        Map<Long, byte[]> restored = new TreeMap<>();
        for (Damage d : damage) {
            for (long q = d.firstSeq(); q < d.firstSeq() + d.records(); q++) {
                byte[] payload = peer.payload(q);
                if (payload == null) {
                    throw new IOException("index " + namespace + ": the copy in " + peer.dir + " holds no intact "
                            + "record " + q + ": nothing restored");
                }
                restored.put(q, payload);
            }
        }
        long size = manifest.path("merkle").path("treeSize").asLong();
        String root = manifest.path("merkle").path("root").asText();
        MerkleTree check = new MerkleTree();
        for (long i = 0; i < size; i++) {
            byte[] mine = restored.containsKey(i) ? MerkleTree.leafHash(restored.get(i)) : leafOf.apply(i);
            if (mine == null) {
                throw new IOException("index " + namespace + ": record " + i + " is neither intact nor restored");
            }
            check.add(mine);
        }
        String got = NamespaceLog.hex(check.root());
        if (!got.equals(root)) {
            throw new IOException("index " + namespace + ": the records of the copy in " + peer.dir + " do not give "
                    + "the Merkle root the manifest keeps (" + root + " of " + size + " records; with them it is "
                    + got + "): they are not this log's records; nothing restored");
        }
        Path aside = asideDir();
        Map<String, List<Damage>> bySegment = new HashMap<>();
        damage.forEach(d -> bySegment.computeIfAbsent(d.segment(), k -> new ArrayList<>()).add(d));
        for (Segment s : segments) {
            List<Damage> here = bySegment.get(s.name());
            if (here == null) {
                continue;
            }
            byte[] old = Files.readAllBytes(s.file);
            ByteArrayOutputStream out = new ByteArrayOutputStream(old.length);
            long pos = 0;
            for (Damage d : here) {
                out.write(old, (int) pos, (int) (d.offset() - pos));
                for (long q = d.firstSeq(); q < d.firstSeq() + d.records(); q++) {
                    out.write(Segment.encode(restored.get(q)).array());
                }
                pos = d.end();
            }
            out.write(old, (int) pos, (int) (old.length - pos));
            replace(s, out.toByteArray(), aside);
        }
        return "restored " + restored.size() + " record(s) " + restored.keySet() + " from " + peer.dir
                + ", verified against the manifest's Merkle root " + root + " of " + size + " records; the damaged "
                + "segment(s) kept in " + aside;
    }

    /**
     * Cuts the log before the first bad record: its segment keeps the bytes before it, and it and every later
     * segment go aside whole.
     *
     * @return what was done
     */
    String truncate(long total) throws IOException {
        Damage first = damage.get(0);
        Path aside = asideDir();
        int at = 0;
        while (!segments.get(at).name().equals(first.segment())) {
            at++;
        }
        List<String> moved = new ArrayList<>();
        // the later segments first, from the last: a crash part way leaves a log that ends early and is still
        // damaged (a repair again finishes it), never one with a segment missing in its middle
        for (int i = segments.size() - 1; i > at || i == at && first.offset() == 0; i--) {
            Segment s = segments.get(i);
            Files.move(s.file, aside.resolve(s.name()));
            Files.deleteIfExists(s.file.resolveSibling(s.name().replace(".seg", ".idx")));
            moved.add(0, s.name());
        }
        if (first.offset() > 0) {
            Segment s = segments.get(at);
            byte[] keep = new byte[(int) first.offset()];
            System.arraycopy(Files.readAllBytes(s.file), 0, keep, 0, keep.length);
            replace(s, keep, aside);
            moved.add(0, s.name());
        }
        return "cut the log before record " + first.firstSeq() + " (segment " + first.segment() + ", offset "
                + first.offset() + "): it holds records up to " + (first.firstSeq() - 1) + "; the " + (total
                - first.firstSeq()) + " record(s) from there on left the log; segment(s) " + moved + " kept in "
                + aside;
    }

    /**
     * Writes {@code bytes} as the segment's new content, durably, after copying the old file to {@code aside}: the
     * segment is never missing, whenever the process stops.
     */
    private static void replace(Segment s, byte[] bytes, Path aside) throws IOException {
        Path tmp = s.file.resolveSibling(s.name() + ".repairing"); // not a .seg: an open never reads it
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.copy(s.file, aside.resolve(s.name()), StandardCopyOption.COPY_ATTRIBUTES);
        try {
            Files.move(tmp, s.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, s.file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(s.file.resolveSibling(s.name().replace(".seg", ".idx"))); // rebuilt when read
    }

    private Path asideDir() throws IOException {
        Path aside = dir.resolve("damaged").resolve(STAMP.format(Instant.now()));
        for (int n = 2; Files.exists(aside); n++) {
            aside = aside.resolveSibling(STAMP.format(Instant.now()) + "-" + n);
        }
        return Files.createDirectories(aside);
    }

    /** @return the folder of {@code .seg} files a copy given as {@code from} means */
    private Path segmentsOf(Path from) throws IOException {
        for (Path p : List.of(from.resolve(namespace).resolve("segments"), from.resolve("segments"), from)) {
            if (Files.isDirectory(p)) {
                try (var l = Files.list(p)) {
                    if (l.anyMatch(f -> f.toString().endsWith(".seg"))) {
                        if (Files.isSameFile(p, dir.resolve("segments"))) {
                            throw new IOException("index " + namespace + ": " + from + " is this namespace itself, "
                                    + "not a peer's copy");
                        }
                        return p;
                    }
                }
            }
        }
        throw new IOException("index " + namespace + ": no copy of the namespace in " + from + " (looked for "
                + namespace + "/segments/*.seg, segments/*.seg and *.seg)");
    }

    /** A peer's segments, read when a record of theirs is asked for. */
    private static final class PeerCopy {
        final Path dir;
        private final TreeMap<Long, Path> files = new TreeMap<>();
        private final Map<Path, SegmentScan> scans = new HashMap<>();

        PeerCopy(Path dir) throws IOException {
            this.dir = dir;
            try (var l = Files.list(dir)) {
                l.filter(p -> p.toString().endsWith(".seg")).forEach(p -> files.put(Segment.firstSeqOf(p), p));
            }
        }

        /** @return the payload of the peer's intact record {@code seq}, or null when it has none */
        byte[] payload(long seq) throws IOException {
            var e = files.floorEntry(seq);
            if (e == null) {
                return null;
            }
            SegmentScan scan = scans.get(e.getValue());
            if (scan == null) {
                scan = SegmentScan.of(e.getValue());
                scans.put(e.getValue(), scan);
            }
            long q = e.getKey();
            for (Object item : scan.items) {
                if (item instanceof SegmentScan.Intact r) {
                    if (q == seq) {
                        return scan.payload(r);
                    }
                    q++;
                } else if (((SegmentScan.Bad) item).records() >= 0) {
                    q += ((SegmentScan.Bad) item).records();
                    if (q > seq) {
                        return null; // damaged in the copy too
                    }
                } else {
                    return null; // past damage of its own that cannot be counted: its numbering is unknown
                }
            }
            return null;
        }
    }
}
