package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveCoordinator;
import io.harmonix.waves.api.WaveSize;
import io.harmonix.waves.api.WaveStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of waves is read as a page from Derby ({@code OFFSET .. FETCH NEXT}), newest first, with the instances of
 * its waves only: the console's waves page never reads every wave and every wave's instances.
 */
class WavePagesTest {
    @TempDir
    Path dir;
    DerbyFixture db;
    Leases leases;
    WaveStore store;

    @BeforeEach
    void open() throws Exception {
        db = DerbyFixture.open(dir, WaveTables.COMPONENT, WaveTables.MIGRATIONS);
        leases = new Leases(db.dataSource());
        store = new WaveStore(db.dataSource());
        Instant t = Instant.parse("2026-11-26T00:00:00Z");
        for (int i = 1; i <= 25; i++) {
            String id = String.format("w-%02d", i);
            store.insert(new Wave(id, "/r", WaveSize.SMALL, null, List.of("c" + i), WaveStatus.COMPLETED, List.of(),
                    "run-" + id, 1, null, t.plusSeconds(i), t.plusSeconds(i + 1), null),
                    List.of(new WaveStore.Instance("quality." + id, id, "quality", "quality~" + id, List.of("c" + i),
                            "done", "run-" + id)));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aPageIsTheNewestWavesFromItsOffsetEachWithItsOwnInstances() throws Exception {
        List<Wave> all = store.waves(leases);
        assertEquals(25, all.size());
        List<Wave> first = store.waves(leases, 0, 10);
        assertEquals(all.subList(0, 10), first);
        assertEquals("w-25", first.get(0).id(), "newest first");
        assertEquals(List.of("quality.w-25"), first.get(0).instances().stream().map(i -> i.agentId()).toList());
        assertEquals(all.subList(20, 25), store.waves(leases, 20, 10), "the last page: what is left");
        assertEquals(List.of(), store.waves(leases, 30, 10), "beyond the end: nothing");
    }

    @Test
    void theApisDefaultPageAndItsBadArgumentsAreNamed() {
        WaveCoordinator.checkPage(0, 1);
        assertEquals("offset: expected 0 or more, got -1", assertThrows(IllegalArgumentException.class,
                () -> WaveCoordinator.checkPage(-1, 10)).getMessage());
        assertEquals("limit: expected 1 or more, got 0", assertThrows(IllegalArgumentException.class,
                () -> WaveCoordinator.checkPage(0, 0)).getMessage());
    }
}
