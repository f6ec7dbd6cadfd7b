package io.harmonix.index.internal;

import static io.harmonix.index.internal.ReopenableIndex.small;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.index.api.Proofs;
import io.harmonix.index.api.PruneReport;
import io.harmonix.index.api.VerifyReport;
import io.harmonix.index.testing.Rfc9162Verifier;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The index on real files; proofs checked by an independent RFC 9162 verifier. */
class IndexServiceTest {
    @TempDir
    Path dir;

    /** Opened with the settings of an empty configuration unless a test names others. */
    @RegisterExtension
    final ReopenableIndex index = new ReopenableIndex(() -> dir, IndexSettingsTest.defaults());

    static CycleSnapshot snapshot(String run, long cycle) {
        Instant t = Instant.parse("2026-11-21T00:00:00Z").plusSeconds(cycle);
        return new CycleSnapshot(1, run, cycle, CycleSnapshot.cycleIdOf(run, cycle), t, t, CycleStatus.OK, List.of(),
                Map.of("agents", 0.0, "pad", (double) cycle));
    }

    private static List<CycleSnapshot> cycles(String run, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(c -> snapshot(run, c)).toList();
    }

    private Path segmentDir() {
        return dir.resolve("index/local/segments");
    }

    private List<Path> segmentFiles() throws Exception {
        try (var l = Files.list(segmentDir())) {
            return l.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private void assertAllProofsHold(String ns) throws Exception {
        IndexStats stats = index.get().stats(ns);
        long size = stats.treeSize();
        for (IndexedCycle c : index.get().list(ns, null, 0, Integer.MAX_VALUE)) {
            Proofs.Inclusion p = index.get().prove(c.snapshot().cycleId());
            assertEquals(c.sequence(), p.leafIndex());
            assertTrue(Rfc9162Verifier.inclusion(p.leafIndex(), p.treeSize(), p.leafHash(), p.path(), p.root()),
                    "inclusion of " + c.snapshot().cycleId());
            assertEquals(stats.root(), p.root());
        }
        for (long m = 1; m <= size; m += Math.max(1, size / 13)) {
            Proofs.Consistency c = index.get().consistency(ns, m, size);
            assertTrue(Rfc9162Verifier.consistency(m, size, c.oldRoot(), c.newRoot(), c.path()),
                    "consistency " + m + " -> " + size);
        }
    }

    @Test
    void appendsAreReadBackAndIdempotentOnTheCycle() throws Exception {
        index.open();
        assertEquals(5, index.get().appendCycleSnapshots("local", cycles("r", 1, 5)));
        assertEquals(0, index.get().appendCycleSnapshots("local", cycles("r", 1, 5)));
        assertEquals(2, index.get().appendCycleSnapshots("local", cycles("r", 4, 7)));
        index.get().recordCycle(snapshot("r", 7)); // the runner handing a cycle over again after a crash
        assertEquals(7, index.get().stats("local").treeSize());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), index.get().list("local", "r", 0, 100).stream()
                .map(c -> c.snapshot().cycle()).toList());
        assertEquals(snapshot("r", 3), index.get().find("r:3").orElseThrow().snapshot());
        List<Long> replayed = new ArrayList<>();
        assertEquals(3, index.get().replay("local", "r", 2, 4, c -> replayed.add(c.snapshot().cycle())));
        assertEquals(List.of(2L, 3L, 4L), replayed);
        assertEquals(1, index.get().runs("local").size());
        assertEquals(7, index.get().runs("local").get(0).lastCycle());
        assertThrows(IllegalArgumentException.class, () -> index.get().appendCycleSnapshots("bad/ns", cycles("r", 1, 1)));
    }

    /**
     * A run's thread writes its own record (synced later by the writer thread): one interrupted as it records (the
     * runner interrupts the runs left at a close) is refused, and the log all runs share stays writable. A file
     * channel closes itself under a thread interrupted while writing it: the log broke, and the other runs' records
     * waiting for their sync failed with it.
     */
    @Test
    void aRunInterruptedAsItRecordsACycleLeavesTheLogWritableForTheOthers() throws Exception {
        // a group delay holds run r's first record unsynced while q's thread, interrupted, records
        index.open(new IndexSettings("local", 8L << 20, IndexSettings.Sync.GROUP, java.time.Duration.ofSeconds(1),
                IndexSettings.Retention.NONE, java.util.Map.of()));
        index.get().recordCycle(snapshot("r", 1));
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.io.IOException.class, () -> index.get().recordCycle(snapshot("q", 1)));
        } finally {
            Thread.interrupted();
        }
        index.get().recordCycle(snapshot("q", 1));
        index.get().recordCycle(snapshot("r", 2)); // waits for r's first record to be synced: it was
        assertEquals(List.of(1L, 2L), index.get().list("local", "r", 0, 100).stream()
                .map(c -> c.snapshot().cycle()).toList());
        assertEquals(List.of(1L), index.get().list("local", "q", 0, 100).stream()
                .map(c -> c.snapshot().cycle()).toList());
    }

    @Test
    void concurrentAppendsAreGroupedAndAllLand() throws Exception {
        index.open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> all = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String run = "w" + w;
            all.add(pool.submit(() -> {
                for (long c = 1; c <= 50; c++) {
                    index.get().recordCycle(snapshot(run, c));
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
        assertEquals(400, index.get().stats("local").treeSize());
        for (int w = 0; w < 8; w++) {
            assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(), index.get().list("local", "w" + w, 0, 100)
                    .stream().map(c -> c.snapshot().cycle()).toList());
        }
        assertTrue(index.get().verify("local").ok());
    }

    @Test
    void everythingSurvivesAReopen() throws Exception {
        index.open(small(IndexSettings.Retention.NONE));
        index.get().appendCycleSnapshots("local", cycles("r", 1, 60));
        index.get().appendCycleSnapshots("peer-a", cycles("p", 1, 3));
        IndexStats before = index.get().stats("local");
        index.open(small(IndexSettings.Retention.NONE));
        assertEquals(before, index.get().stats("local"));
        assertEquals(List.of("local", "peer-a"), index.get().namespaces());
        assertTrue(before.segments() > 1, "small segments rolled");
        assertEquals(60, index.get().list("local", "r", 0, 100).size());
        assertTrue(index.reports().isEmpty(), index.reports().toString());
    }

    @Test
    void aTornTailIsCutAndReportedAndTheRestIsIntact() throws Exception {
        index.open();
        index.get().appendCycleSnapshots("local", cycles("r", 1, 10));
        Proofs.Inclusion ninth = index.get().prove("r:9");
        index.close();
        Path seg = segmentFiles().get(0);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 17); // a write that stopped half way
        }
        index.open();
        assertTrue(index.reports().get(0).contains("torn or corrupt tail") && index.reports().get(0).contains("record 9")
                && index.reports().get(0).contains("the 9 records before it are intact"), index.reports().get(0));
        assertTrue(index.reports().get(1).contains("manifest rebuilt"), index.reports().toString());
        assertEquals(9, index.get().stats("local").treeSize());
        assertTrue(index.get().verify("local").ok());
        // the cut log is the prefix it was: the old proof of cycle 9 checks against the 9-record root
        assertEquals(index.get().stats("local").root(), index.get().consistency("local", 9, 9).newRoot());
        assertEquals(9, index.get().runs("local").get(0).lastCycle());
        // and the runner can hand cycle 10 over again
        assertEquals(1, index.get().appendCycleSnapshots("local", cycles("r", 10, 10)));
        assertTrue(Rfc9162Verifier.inclusion(ninth.leafIndex(), 10, ninth.leafHash(),
                index.get().prove("r:9").path(), index.get().stats("local").root()));
    }

    @Test
    void aBitFlipInTheTailIsCutAndAFlipInAClosedSegmentIsNamedByVerify() throws Exception {
        index.open(small(IndexSettings.Retention.NONE));
        index.get().appendCycleSnapshots("local", cycles("r", 1, 40));
        List<Path> files = segmentFiles();
        assertTrue(files.size() >= 2);
        // 1. a flip in a closed segment: verify names the record
        flipByte(files.get(0), 100);
        VerifyReport report = index.get().verify("local");
        assertFalse(report.ok());
        assertTrue(report.problem().startsWith("record 0 (r:1) in segment " + files.get(0).getFileName()
                + " at offset 0 fails its CRC32C"), report.problem());
        flipByte(files.get(0), 100); // repaired
        assertTrue(index.get().verify("local").ok());

        // 2. a flip in the last record of the active segment: cut at open, reported, the rest intact
        long held = index.get().stats("local").treeSize();
        index.close();
        Path last = files.get(files.size() - 1);
        flipByte(last, Files.size(last) - 3);
        index.open(small(IndexSettings.Retention.NONE));
        assertEquals(held - 1, index.get().stats("local").treeSize());
        assertTrue(index.reports().get(0).contains("torn or corrupt tail"), index.reports().toString());
        VerifyReport after = index.get().verify("local");
        assertTrue(after.ok(), after.problem());
        assertEquals(held - 1, after.records());
    }

    private static void flipByte(Path file, long at) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void proofsOfEveryLeafAndEveryPrefixCheckIndependently() throws Exception {
        index.open();
        for (long c = 1; c <= 33; c++) {
            index.get().recordCycle(snapshot("r", c));
            Proofs.Inclusion p = index.get().prove("r:" + c);
            assertTrue(Rfc9162Verifier.inclusion(p.leafIndex(), p.treeSize(), p.leafHash(), p.path(), p.root()));
        }
        assertAllProofsHold("local");
        for (long m = 1; m <= 33; m++) {
            for (long n = m; n <= 33; n++) {
                Proofs.Consistency c = index.get().consistency("local", m, n);
                assertTrue(Rfc9162Verifier.consistency(m, n, c.oldRoot(), c.newRoot(), c.path()), m + " -> " + n);
            }
        }
        // a wrong root or a tampered path fails
        Proofs.Inclusion p = index.get().prove("r:5");
        assertFalse(Rfc9162Verifier.inclusion(p.leafIndex(), p.treeSize(), p.leafHash(), p.path(),
                index.get().consistency("local", 32, 32).newRoot()));
        List<String> bad = new ArrayList<>(p.path());
        bad.set(0, bad.get(1));
        assertFalse(Rfc9162Verifier.inclusion(p.leafIndex(), p.treeSize(), p.leafHash(), bad, p.root()));
        // leaf = SHA-256(0x00 || record): the verifier's own leaf hash of the stored record matches
        Path seg = segmentFiles().get(0);
        byte[] all = Files.readAllBytes(seg);
        int length = java.nio.ByteBuffer.wrap(all, 0, 4).getInt();
        byte[] record = java.util.Arrays.copyOfRange(all, 8, 8 + length);
        assertEquals(index.get().prove("r:1").leafHash(), java.util.HexFormat.of().formatHex(Rfc9162Verifier.leaf(record)));
    }

    @Test
    void retentionByCountPerRunKeepsProofsValid() throws Exception {
        index.open(small(new IndexSettings.Retention(null, 0, 20)));
        index.get().appendCycleSnapshots("local", cycles("r", 1, 80));
        IndexStats before = index.get().stats("local");
        PruneReport dry = index.get().prune("local", true);
        assertFalse(dry.segments().isEmpty());
        assertEquals(before, index.get().stats("local"), "a dry run changes nothing");
        PruneReport done = index.get().prune("local", false);
        assertEquals(dry.segments(), done.segments());
        IndexStats after = index.get().stats("local");
        assertEquals(before.treeSize(), after.treeSize(), "the tree keeps its size");
        assertEquals(before.root(), after.root(), "and its root");
        assertEquals(done.records(), after.prunedRecords());
        List<Long> kept = index.get().list("local", "r", 0, 100).stream().map(c -> c.snapshot().cycle()).toList();
        assertTrue(kept.size() >= 20 && kept.get(kept.size() - 1) == 80, kept.toString());
        assertTrue(kept.get(0) > 1);
        assertAllProofsHold("local");
        assertThrows(IllegalArgumentException.class, () -> index.get().prove("r:1"));
        assertEquals(0, index.get().appendCycleSnapshots("local", cycles("r", 1, 1)), "pruned cycles stay indexed once");
        // and after a reopen
        index.open(small(new IndexSettings.Retention(null, 0, 20)));
        assertEquals(after, index.get().stats("local"));
        assertAllProofsHold("local");
        assertTrue(index.get().verify("local").ok());
    }

    @Test
    void retentionBySizeAndByAge() throws Exception {
        index.open(small(new IndexSettings.Retention(null, 10_000, 0)));
        index.get().appendCycleSnapshots("local", cycles("r", 1, 100));
        index.get().prune("local", false);
        assertTrue(index.get().stats("local").bytes() <= 10_000 + 4096, index.get().stats("local").toString());
        assertAllProofsHold("local");

        index.open(small(new IndexSettings.Retention(Duration.ofMillis(1), 0, 0)));
        Thread.sleep(5);
        PruneReport aged = index.get().prune("local", false);
        assertFalse(aged.segments().isEmpty());
        assertTrue(aged.reasons().get(0).contains("older than"), aged.reasons().toString());
        assertEquals(1, index.get().stats("local").segments(), "only the active segment stays");
        assertAllProofsHold("local");
    }

    @Test
    void aManifestThatDisagreesIsRebuilt() throws Exception {
        index.open();
        index.get().appendCycleSnapshots("local", cycles("r", 1, 5));
        index.close();
        Path manifest = dir.resolve("index/local/manifests/manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replaceAll("\"treeSize\" : 5", "\"treeSize\" : 3"));
        index.open();
        assertTrue(index.reports().stream().anyMatch(r -> r.contains("manifest rebuilt")), index.reports().toString());
        assertTrue(Files.readString(manifest).contains("\"treeSize\" : 5"));
        assertTrue(index.get().verify("local").ok());
        assertNull(index.get().verify("local").problem());
    }
}
