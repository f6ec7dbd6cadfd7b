package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.store.testing.StartedTogether;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries to several endpoints recorded at the same moment right after the runtime started: the attempts take ids
 * from an identity column, which Derby fails at once with 40XL1 when two connections insert together while it
 * allocates a range (docs/architecture.md), unless inserted one at a time.
 */
class DeliveryStoreConcurrencyTest {
    private static final int ROUNDS = 12;
    private static final int TOGETHER = 4;

    @TempDir
    Path dir;

    @Test
    void attemptsRecordedTogetherAfterEachRestartAreAllKept() throws Exception {
        List<String> failures = StartedTogether.afterEachBoot(dir, DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS,
                ROUNDS, TOGETHER, (dataSource, round, thread) -> {
                    DeliveryStore store = new DeliveryStore(dataSource);
                    DeliveryAttempt a = new DeliveryAttempt("endpoint-" + thread, "cycles", round, "cycle-" + round,
                            "webhook-" + round + "-" + thread, 1, Instant.now(), 200, 5,
                            DeliveryAttempt.Outcome.DELIVERED, null);
                    if (thread % 2 == 0) {
                        store.recordAttempt(a);
                    } else {
                        store.record(a, round + 1, 1, null, null); // with the cursor, in one transaction
                    }
                });
        assertEquals(List.of(), failures, "every attempt is recorded");
        try (DerbyFixture derby = DerbyFixture.open(dir)) {
            DeliveryStore store = new DeliveryStore(derby.dataSource());
            for (int t = 0; t < TOGETHER; t++) {
                assertEquals(ROUNDS, store.attempts("endpoint-" + t, 100).size(), "endpoint-" + t);
            }
        }
    }
}
