package io.harmonix.index.internal;

import static io.harmonix.index.internal.ReopenableIndex.small;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.PruneReport;
import io.harmonix.index.api.RunSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Retention against restarts (appends stay idempotent on pruned cycles) and against records that break the id rules. */
class RetentionTest {
    @TempDir
    Path dir;

    /** Opened (and reopened, as a restarted runtime does) with 4 KiB segments and a 10 kB size limit. */
    @RegisterExtension
    final ReopenableIndex index = new ReopenableIndex(() -> dir, small(new IndexSettings.Retention(null, 10_000, 0)));

    /** Opens the index and appends cycles 1 to 100 of run r to local, more than its size limit keeps. */
    private void openWithRunR() throws Exception {
        index.open();
        index.get().appendCycleSnapshots("local", cycles("r", 1, 100));
    }

    /** Reopens the index, as a restarted runtime does, and checks it finds {@code left} and verifies. */
    private void reopenAndAssertItFinds(IndexStats left) throws Exception {
        index.open();
        assertEquals(left, index.get().stats("local"), "what a reopen finds is what the prune left");
        assertTrue(index.get().verify("local").ok());
    }

    private static CycleSnapshot snapshot(int schemaVersion, String run, long cycle, String cycleId) {
        Instant t = Instant.parse("2026-11-21T00:00:00Z").plusSeconds(cycle);
        return new CycleSnapshot(schemaVersion, run, cycle, cycleId, t, t, CycleStatus.OK, List.of(),
                Map.of("agents", 0.0, "pad", (double) cycle));
    }

    private static List<CycleSnapshot> cycles(String run, long from, long to) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(c -> snapshot(1, run, c, CycleSnapshot.cycleIdOf(run, c))).toList();
    }

    @Test
    void aRestartDoesNotAppendAgainTheLastCycleOfARunRetentionPrunedWhole() throws Exception {
        index.open();
        index.get().appendCycleSnapshots("local", cycles("old", 1, 30)); // a finished run
        index.get().appendCycleSnapshots("local", cycles("new", 1, 100));
        PruneReport pruned = index.get().prune("local", false);
        assertTrue(index.get().list("local", "old", 0, 100).isEmpty(), "every record of 'old' pruned: " + pruned);

        // the runtime restarts: the index reopens, and the runner's recovery hands the index the last committed
        // snapshot of every finished run again (RunRecovery.recordLastCyclesOfFinishedRuns)
        IndexStats before = index.get().stats("local");
        index.open();
        index.get().recordCycle(cycles("old", 30, 30).get(0));
        index.get().recordCycle(cycles("new", 100, 100).get(0));
        IndexStats after = index.get().stats("local");
        assertEquals(before.treeSize(), after.treeSize(), "nothing appended again");
        assertEquals(before.root(), after.root());
        assertEquals(0, index.get().appendCycleSnapshots("local", cycles("old", 1, 30)), "pruned cycles stay indexed once");
        assertEquals(new RunSummary("old", 1, 30, 0), index.get().runs("local").get(
                index.get().runs("local").stream().map(RunSummary::runId).toList().indexOf("old")));
        // and a second restart keeps knowing it (the manifest rewritten at open still says so)
        index.open();
        assertEquals(0, index.get().appendCycleSnapshots("local", cycles("old", 30, 30)));
        assertEquals(before, index.get().stats("local"));
        assertTrue(index.get().verify("local").ok());
    }

    @Test
    void aPruneWhoseManifestCannotBeWrittenChangesNothing() throws Exception {
        openWithRunR();
        IndexStats before = index.get().stats("local");
        List<RunSummary> runsBefore = index.get().runs("local");
        // a directory where the manifest's temporary file goes: the prune's manifest write fails
        Path tmp = java.nio.file.Files.createDirectory(dir.resolve("index/local/manifests/manifest.json.tmp"));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> index.get().prune("local", false));
        assertEquals(before, index.get().stats("local"), "nothing pruned in memory");
        assertEquals(runsBefore, index.get().runs("local"));
        assertEquals(100, index.get().list("local", "r", 0, 1000).size(), "every record still read");
        assertTrue(index.get().verify("local").ok());

        java.nio.file.Files.delete(tmp);
        PruneReport pruned = index.get().prune("local", false);
        assertEquals(pruned.records(), index.get().stats("local").prunedRecords(), "the next prune applies whole");
        reopenAndAssertItFinds(index.get().stats("local"));
    }

    @Test
    void retentionOverRecordsThatBreakTheIdRulesNeitherThrowsNorHalfApplies() throws Exception {
        openWithRunR();
        // records as an ingest that did not check them let in, kept by the prune (they are the newest): a cycle
        // id without a run, one of another run, a run id that is a path, a schema version nobody writes
        index.get().appendCycleSnapshots("local", List.of(
                snapshot(1, "a", 1, "nocolon"),
                snapshot(1, "b", 5, "other:5"),
                snapshot(1, "../../x", 1, "../../x:1"),
                snapshot(99, "c", 1, "c:1")));
        IndexStats before = index.get().stats("local");

        PruneReport pruned = index.get().prune("local", false);
        assertFalse(pruned.segments().isEmpty());
        IndexStats after = index.get().stats("local");
        assertEquals(before.treeSize(), after.treeSize());
        assertEquals(before.root(), after.root());
        assertEquals(pruned.records(), after.prunedRecords(), "the prune applied whole");
        assertEquals(before.segments() - pruned.segments().size(), after.segments());
        long held = index.get().runs("local").stream().mapToLong(RunSummary::records).sum();
        assertEquals(after.records(), held, "each run's count follows the records kept: " + index.get().runs("local"));
        for (String kept : List.of("a", "b", "../../x", "c")) {
            assertTrue(index.get().runs("local").stream().anyMatch(r -> r.runId().equals(kept) && r.records() == 1),
                    kept + " kept: " + index.get().runs("local"));
        }
        assertTrue(index.reports().isEmpty(), index.reports().toString());
        reopenAndAssertItFinds(after);
        assertEquals(0, index.get().appendCycleSnapshots("local", cycles("r", 50, 50)));
    }
}
