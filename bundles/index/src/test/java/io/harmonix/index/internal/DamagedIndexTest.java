package io.harmonix.index.internal;

import static io.harmonix.index.internal.ReopenableIndex.small;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.Proofs;
import io.harmonix.index.testing.Rfc9162Verifier;
import io.harmonix.index.api.VerifyReport;
import io.harmonix.index.internal.command.IndexCommands;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A byte flipped in a real segment file the real index wrote: the index opens degraded, names the damage, keeps the
 * records after it, refuses appends to that namespace only, and repairs by truncation or from a peer's copy.
 */
class DamagedIndexTest {
    @TempDir
    Path dir;

    /** Opened (and reopened) with 4 KiB segments and no retention. */
    @RegisterExtension
    final ReopenableIndex index = new ReopenableIndex(() -> dir, small(Duration.ZERO, IndexSettings.Retention.NONE));

    private static List<CycleSnapshot> cycles(String run, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(c -> IndexServiceTest.snapshot(run, c)).toList();
    }

    private List<Path> segmentFiles(String ns) throws IOException {
        try (var l = Files.list(dir.resolve("index").resolve(ns).resolve("segments"))) {
            return l.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** @return the newest segment file of namespace local, the one appends go to */
    private Path lastSegment() throws IOException {
        List<Path> files = segmentFiles("local");
        return files.get(files.size() - 1);
    }

    /** @return the offsets of the records of a segment file, read from their length fields */
    static List<Long> recordOffsets(Path seg) throws IOException {
        byte[] all = Files.readAllBytes(seg);
        List<Long> offsets = new java.util.ArrayList<>();
        for (long o = 0; o + 8 <= all.length; ) {
            offsets.add(o);
            o += 8 + ByteBuffer.wrap(all, (int) o, 4).getInt();
        }
        return offsets;
    }

    static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    /**
     * 40 cycles of run r in local (several 4 KiB segments), then one at a time until the last segment holds at least
     * 6 records; 3 cycles of run p in peer-a; closed, ready to damage.
     *
     * @return the last cycle of run r
     */
    private long writeAndClose() throws Exception {
        index.open();
        index.get().appendCycleSnapshots("local", cycles("r", 1, 40));
        long last = 40;
        while (recordOffsets(lastSegment()).size() < 6) {
            last++;
            index.get().appendCycleSnapshots("local", cycles("r", last, last));
        }
        index.get().appendCycleSnapshots("peer-a", cycles("p", 1, 3));
        index.close();
        return last;
    }

    @Test
    void aFlippedByteInAClosedSegmentOpensDegradedAndVerifyNamesIt() throws Exception {
        long n = writeAndClose();
        Path first = segmentFiles("local").get(0);
        assertTrue(segmentFiles("local").size() >= 3);
        long third = recordOffsets(first).get(2); // record 2, cycle r:3
        flipByte(first, third + 60); // inside the payload, after the cycle id
        index.open();
        VerifyReport report = index.get().verify("local");
        assertFalse(report.ok());
        assertTrue(report.problem().contains("record 2 (cycle r:3") && report.problem().contains("segment "
                + first.getFileName()) && report.problem().contains("at offset " + third)
                && report.problem().contains("fails its CRC32C"), report.problem());
        assertTrue(index.reports().stream().anyMatch(r -> r.contains("damaged") && r.contains("record 2")), index.reports().toString());
        // the intact records of the damaged namespace read, before and after the damage
        assertEquals(n - 1, index.get().list("local", "r", 0, 1000).size());
        assertEquals(IndexServiceTest.snapshot("r", 4), index.get().find("r:4").orElseThrow().snapshot());
        assertEquals(IndexServiceTest.snapshot("r", n), index.get().find("r:" + n).orElseThrow().snapshot());
        assertTrue(index.get().find("r:3").isEmpty());
        // appends to it are refused with the reason; the other namespace works
        IOException refused = assertThrows(IOException.class, () -> index.get().appendCycleSnapshots("local",
                cycles("r", n + 1, n + 1)));
        assertTrue(refused.getMessage().contains("damaged") && refused.getMessage().contains("record 2")
                && refused.getMessage().contains("index:repair local"), refused.getMessage());
        assertEquals(1, index.get().appendCycleSnapshots("peer-a", cycles("p", 4, 4)));
        assertEquals(4, index.get().list("peer-a", "p", 0, 100).size());
        assertTrue(index.get().verify("peer-a").ok());
        Proofs.Inclusion p = index.get().prove("p:4");
        assertTrue(Rfc9162Verifier.inclusion(p.leafIndex(), p.treeSize(), p.leafHash(), p.path(), p.root()));
    }

    @Test
    void aFlipInTheLastSegmentFollowedByGoodRecordsIsCorruptionNotATornTail() throws Exception {
        long n = writeAndClose();
        Path last = lastSegment();
        List<Long> offsets = recordOffsets(last);
        assertTrue(offsets.size() >= 5, offsets.toString());
        long before = Files.size(last);
        long at = offsets.get(offsets.size() - 5); // four good records follow it
        flipByte(last, at + 60);
        index.open();
        assertEquals(before, Files.size(last), "nothing is cut");
        VerifyReport report = index.get().verify("local");
        assertFalse(report.ok());
        assertTrue(report.problem().contains("segment " + last.getFileName()) && report.problem().contains("at offset "
                + at) && report.problem().contains("4 records after it verify"), report.problem());
        assertEquals(n - 1, index.get().list("local", "r", 0, 1000).size(), "the four after it are read");
        assertTrue(index.get().find("r:" + n).isPresent());
        assertTrue(index.reports().stream().noneMatch(r -> r.contains("torn")), index.reports().toString());
    }

    @Test
    void aRealTornTailIsStillCutSilently() throws Exception {
        long n = writeAndClose();
        Path last = lastSegment();
        List<Long> offsets = recordOffsets(last);
        long cutAt = offsets.get(offsets.size() - 1) + 30; // mid-record
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(cutAt);
        }
        index.open();
        assertEquals(n - 1, index.get().stats("local").treeSize());
        assertTrue(index.get().verify("local").ok(), index.get().verify("local").problem());
        assertTrue(index.reports().stream().anyMatch(r -> r.contains("torn")), index.reports().toString());
        assertEquals(offsets.get(offsets.size() - 1), Files.size(last));
        assertEquals(1, index.get().appendCycleSnapshots("local", cycles("r", n, n)));
        assertTrue(index.get().verify("local").ok());
    }

    private void assertAllProofsHold(String ns) throws Exception {
        IndexStats stats = index.get().stats(ns);
        for (IndexedCycle c : index.get().list(ns, null, 0, Integer.MAX_VALUE)) {
            Proofs.Inclusion p = index.get().prove(c.snapshot().cycleId());
            assertTrue(Rfc9162Verifier.inclusion(p.leafIndex(), p.treeSize(), p.leafHash(), p.path(), p.root()),
                    "inclusion of " + c.snapshot().cycleId());
            assertEquals(stats.root(), p.root());
        }
        for (long m = 1; m <= stats.treeSize(); m += 3) {
            Proofs.Consistency c = index.get().consistency(ns, m, stats.treeSize());
            assertTrue(Rfc9162Verifier.consistency(m, stats.treeSize(), c.oldRoot(), c.newRoot(), c.path()));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void repairTruncateCutsBeforeTheFirstBadRecordAndKeepsTheSegmentsAside() throws Exception {
        long n = writeAndClose();
        List<Path> files = segmentFiles("local");
        Path second = files.get(1);
        long at = recordOffsets(second).get(3);
        long badSeq = Segment.firstSeqOf(second) + 3;
        flipByte(second, at + 60);
        byte[] damagedBytes = Files.readAllBytes(second);
        index.open();
        IndexCommands commands = Commands.over(new IndexCommands(), index.get());
        String ways = CommandLines.output(commands, "repair", "local");
        assertTrue(ways.startsWith("local: damaged\n  record " + badSeq + " (cycle r:" + (badSeq + 1)), ways);
        assertTrue(ways.contains("ways out:") && ways.contains("index:repair local --from DIR")
                && ways.contains("index:repair local --truncate: cut the log before record " + badSeq), ways);
        assertEquals(files, segmentFiles("local"), "only reported: nothing changed");

        String done = CommandLines.output(commands, "repair", "local", "--truncate");
        assertTrue(done.contains("repaired: cut the log before record " + badSeq), done);
        Path aside;
        try (var l = Files.list(dir.resolve("index/local/damaged"))) {
            aside = l.findFirst().orElseThrow();
        }
        assertArrayEquals(damagedBytes, Files.readAllBytes(aside.resolve(second.getFileName())), "kept as it was");
        for (Path later : files.subList(2, files.size())) {
            assertTrue(Files.exists(aside.resolve(later.getFileName())), later + " kept aside");
        }
        assertEquals(at, Files.size(second), "the records before the damage stay in place");
        IndexStats stats = index.get().stats("local");
        assertEquals(badSeq, stats.treeSize());
        assertTrue(index.get().verify("local").ok(), index.get().verify("local").problem());
        assertTrue(CommandLines.output(commands, "verify", "-s", "local").startsWith("local: ok, " + badSeq
                + " records"));
        assertTrue(Files.readString(dir.resolve("index/local/manifests/manifest.json")).contains("\"treeSize\" : "
                + badSeq + ","), "the manifest says the new size");
        assertAllProofsHold("local");
        // the namespace takes appends again: the cycles cut can be handed over again
        assertEquals(n - badSeq, index.get().appendCycleSnapshots("local", cycles("r", badSeq + 1, n)));
        assertTrue(index.get().verify("local").ok());
        assertAllProofsHold("local");
        IndexStats after = index.get().stats("local");
        index.reports().clear();
        index.open();
        assertEquals(after, index.get().stats("local"));
        assertTrue(index.reports().isEmpty(), index.reports().toString());
        assertEquals("local: not damaged, nothing to repair\n", CommandLines.output(Commands.over(new IndexCommands(), index.get()),
                "repair", "-s", "local"));
    }

    @Test
    void repairFromAPeersCopyRestoresTheDamagedRecordsVerifiedAgainstTheManifestsRoot() throws Exception {
        long n = writeAndClose();
        index.open();
        IndexStats intact = index.get().stats("local");
        index.close();
        copyTree(dir.resolve("index/local"), dir.resolve("peer/local")); // a peer runtime's data/index
        List<Path> files = segmentFiles("local");
        Path first = files.get(0);
        Path last = lastSegment();
        flipByte(first, recordOffsets(first).get(1) + 2); // the length field of record 1
        flipByte(last, recordOffsets(last).get(1) + 70); // a payload byte, records verify after it
        index.open();
        VerifyReport damaged = index.get().verify("local");
        assertFalse(damaged.ok());
        assertTrue(damaged.problem().contains("record 1 (cycle r:2") && damaged.problem().contains("has an "
                + "impossible length") || damaged.problem().contains("is cut short"), damaged.problem());
        assertEquals(n - 2, index.get().list("local", "r", 0, 1000).size());

        // a copy whose records are not this log's (the same cycles, appended at other times) changes nothing
        IndexService other = new IndexService(dir.resolve("other"), small(Duration.ZERO, IndexSettings.Retention.NONE),
                m -> { });
        for (long c = 1; c <= n; c++) {
            other.appendCycleSnapshots("local", cycles("r", c, c));
        }
        other.close();
        IOException wrong = assertThrows(IOException.class, () -> index.get().repair("local", dir.resolve("other"),
                false));
        assertTrue(wrong.getMessage().contains("do not give the Merkle root the manifest keeps (" + intact.root()),
                wrong.getMessage());
        assertFalse(index.get().verify("local").ok(), "still damaged");

        String done = CommandLines.output(Commands.over(new IndexCommands(), index.get()), "repair", "local", "--from",
                dir.resolve("peer").toString());
        assertTrue(done.contains("repaired: restored 2 record(s) [1, " + (Segment.firstSeqOf(last) + 1) + "]"),
                done);
        assertEquals(intact, index.get().stats("local"), "the log as it was: size and root");
        assertTrue(index.get().verify("local").ok(), index.get().verify("local").problem());
        assertEquals(IndexServiceTest.snapshot("r", 2), index.get().find("r:2").orElseThrow().snapshot());
        assertEquals(n, index.get().list("local", "r", 0, 1000).size());
        assertAllProofsHold("local");
        assertEquals(1, index.get().appendCycleSnapshots("local", cycles("r", n + 1, n + 1)));
        assertTrue(index.get().verify("local").ok());
        try (var l = Files.list(dir.resolve("index/local/damaged"))) {
            Path aside = l.findFirst().orElseThrow();
            assertTrue(Files.exists(aside.resolve(first.getFileName())) && Files.exists(aside.resolve(
                    last.getFileName())));
        }
    }

    @Test
    void anUnreadableCycleIdIsSaid() throws Exception {
        writeAndClose();
        Path first = segmentFiles("local").get(0);
        // a record holds its cycle id twice, the entry's and the snapshot's: both hit
        byte[] all = Files.readAllBytes(first);
        String record = new String(all, 8, ByteBuffer.wrap(all, 0, 4).getInt(), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = record.indexOf("\"cycleId\""); i >= 0; i = record.indexOf("\"cycleId\"", i + 1)) {
            flipByte(first, 8 + i + 2);
        }
        index.open();
        String problem = index.get().verify("local").problem();
        assertTrue(problem.contains("record 0 (its cycle id cannot be read) in segment " + first.getFileName()
                + " at offset 0 fails its CRC32C"), problem);
    }

    @Test
    void truncatingAtTheVeryFirstRecordLeavesAnEmptyLogThatTakesAppends() throws Exception {
        long n = writeAndClose();
        flipByte(segmentFiles("local").get(0), 60);
        index.open();
        assertEquals(n - 1, index.get().stats("local").records(), "every intact record is held");
        assertEquals(0, index.get().stats("local").treeSize(), "the verified prefix is empty");
        index.get().repair("local", null, true);
        assertEquals(0, index.get().stats("local").treeSize());
        assertTrue(index.get().verify("local").ok(), index.get().verify("local").problem());
        assertEquals(n, index.get().appendCycleSnapshots("local", cycles("r", 1, n)));
        assertTrue(index.get().verify("local").ok());
        assertAllProofsHold("local");
    }

    @Test
    void twoAdjacentBadRecordsInTheLastSegmentOfferOnlyTruncate() throws Exception {
        writeAndClose();
        Path last = lastSegment();
        List<Long> offsets = recordOffsets(last);
        flipByte(last, offsets.get(1) + 2); // the length of record 1 and the payload of record 2
        flipByte(last, offsets.get(2) + 60);
        index.open();
        String problem = index.get().verify("local").problem();
        assertTrue(problem.contains("and an unknown number after it") && problem.contains("cannot be told apart into "
                + "records"), problem);
        assertTrue(index.get().repair("local", null, false).ways().get(0).contains("not possible here: how many records"),
                index.get().repair("local", null, false).ways().toString());
        IOException refused = assertThrows(IOException.class, () -> index.get().repair("local", dir, false));
        assertTrue(refused.getMessage().contains("cannot restore from a copy"), refused.getMessage());
        index.get().repair("local", null, true);
        assertEquals(Segment.firstSeqOf(last) + 1, index.get().stats("local").treeSize());
        assertTrue(index.get().verify("local").ok());
    }
}
