package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.cycle.api.CycleStatus;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries recorded behind the worker, on a real Derby database. */
class DeliveryRecorderTest {
    @TempDir
    Path dir;

    private static DeliveryRecorder.Delivered delivered(String ns, long seq) {
        IndexedCycle c = new IndexedCycle(ns, seq, Instant.now(), Fixture.snapshot("r", seq + 1, CycleStatus.OK));
        return new DeliveryRecorder.Delivered(c, new DeliveryAttempt("e", ns, seq, c.snapshot().cycleId(),
                "msg-" + ns + "-" + seq, 1, Instant.now(), 200, 1, DeliveryAttempt.Outcome.DELIVERED, null));
    }

    @Test
    void everyDeliveryQueuedIsRecordedWithTheCursorPastItsLastAndAnnouncedInOrderOnlyOnceDurable() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir, DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS)) {
            DeliveryStore store = new DeliveryStore(db.dataSource());
            List<Long> durable = Collections.synchronizedList(new ArrayList<>());
            List<Long> cursorWhenAnnounced = Collections.synchronizedList(new ArrayList<>());
            DeliveryRecorder recorder = new DeliveryRecorder(store, "e", d -> {
                durable.add(d.cycle().sequence());
                try {
                    cursorWhenAnnounced.add(store.cursors("e").get("ns").next());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (long seq = 0; seq < 300; seq++) {
                recorder.add(delivered("ns", seq));
            }
            recorder.add(delivered("other", 0));
            recorder.flush();
            List<Long> expected = new ArrayList<>();
            for (long seq = 0; seq < 300; seq++) {
                expected.add(seq);
            }
            expected.add(0L);
            assertEquals(expected, durable, "each delivery announced once, in order");
            for (int i = 0; i < 300; i++) {
                assertTrue(cursorWhenAnnounced.get(i) > i, "cycle " + i + " was announced before its cursor moved");
            }
            assertEquals(new DeliveryStore.Cursor(300, 300), store.cursors("e").get("ns"));
            assertEquals(new DeliveryStore.Cursor(1, 1), store.cursors("e").get("other"));
            assertEquals(301, store.attempts("e", 1000).size(), "every attempt recorded");
            recorder.close();
            assertThrows(IllegalStateException.class, () -> recorder.add(delivered("ns", 300)));
        }
    }

    @Test
    void aCommitThatFailsIsReportedToTheWorkerAndRecordsNothingOfItsGroup() throws Exception {
        DerbyFixture db = DerbyFixture.open(dir, DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS);
        DeliveryStore store = new DeliveryStore(db.dataSource());
        List<Long> durable = Collections.synchronizedList(new ArrayList<>());
        DeliveryRecorder recorder = new DeliveryRecorder(store, "e", d -> durable.add(d.cycle().sequence()));
        recorder.add(delivered("ns", 0));
        recorder.flush();
        db.close(); // the store stopped under the worker
        recorder.add(delivered("ns", 1));
        SQLException failed = assertThrows(SQLException.class, recorder::flush);
        assertTrue(failed.getMessage().contains("closed"), failed.getMessage());
        assertEquals(List.of(0L), durable, "the failed delivery is not announced");
        recorder.flush(); // the failure is reported once: the worker then starts again from the durable cursor
        try (DerbyFixture again = DerbyFixture.open(dir)) {
            assertEquals(new DeliveryStore.Cursor(1, 1), new DeliveryStore(again.dataSource()).cursors("e").get("ns"));
        }
        recorder.close();
    }
}
