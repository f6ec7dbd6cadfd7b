package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.propagator.api.DeadLetter;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording whose transaction meets rows that are there already (a cursor further on, a cycle dead-lettered
 * already) keeps the rest of its transaction: on PostgreSQL a failed statement ends the transaction unless it was
 * rolled back to a savepoint, so these ran with {@code -Ppostgresql} lose the attempt without one.
 */
class DeliveryStoreDuplicatesTest {
    @TempDir
    Path dir;

    private static DeliveryAttempt attempt(long seq, int attempt, DeliveryAttempt.Outcome outcome) {
        return new DeliveryAttempt("e", "ns", seq, "c-" + seq, "msg-" + seq, attempt, Instant.now(),
                outcome == DeliveryAttempt.Outcome.DELIVERED ? 200 : 500, 1, outcome, null);
    }

    @Test
    void aRedeliveryBehindTheCursorIsRecordedAndLeavesTheCursorWhereItWas() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir, DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS)) {
            DeliveryStore store = new DeliveryStore(db.dataSource());
            store.record(attempt(9, 1, DeliveryAttempt.Outcome.DELIVERED), 10, 1, null, null);
            store.record(attempt(3, 2, DeliveryAttempt.Outcome.DELIVERED), 4, 1, null, null);
            assertEquals(2, store.attempts("e", 10).size(), "both attempts are recorded");
            assertEquals(10, store.cursors("e").get("ns").next(), "the cursor stays further on");
        }
    }

    @Test
    void aCycleDeadLetteredAgainIsOneDeadLetterAndEveryAttemptIsRecorded() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir, DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS)) {
            DeliveryStore store = new DeliveryStore(db.dataSource());
            for (int attempt = 5; attempt <= 6; attempt++) {
                DeadLetter dead = new DeadLetter("e", "ns", 11, "c-11", attempt, 500, "gave up", Instant.now());
                store.record(attempt(11, attempt, DeliveryAttempt.Outcome.DEAD), 12, 0, dead, null);
            }
            assertEquals(2, store.attempts("e", 10).size(), "both attempts are recorded");
            assertEquals(1, store.deadLetters("e").size(), "dead-lettered once");
            assertEquals(12, store.cursors("e").get("ns").next());
        }
    }
}
