package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.fleet.api.Isolation;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks started at the same moment right after the runtime started, as the tasks of a fleet build resumed after a
 * crash start theirs. Derby hands the identity column's values out of a range it allocates in SYS.SYSSEQUENCES
 * (a fresh one after each boot), and when the allocation meets another connection's first INSERT into the table
 * (compiling it reads that row) Derby gives up at once with 40XL1, "A lock could not be obtained within the time
 * requested", without waiting: about one insert in six failed here with two or four starting together.
 */
class CheckStoreConcurrencyTest {
    private static final int ROUNDS = 12;
    private static final int TOGETHER = 4;

    @TempDir
    Path dir;

    @Test
    void checksStartedTogetherAfterEachRestartAreAllRecorded() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(TOGETHER);
        Set<Long> ids = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                // each round a restarted runtime: the database booted again, no range of ids allocated
                try (DerbyFixture derby = DerbyFixture.open(dir, CheckStore.COMPONENT, CheckStore.MIGRATIONS)) {
                    CheckStore store = new CheckStore(derby.dataSource());
                    CyclicBarrier start = new CyclicBarrier(TOGETHER);
                    List<Future<Long>> started = new ArrayList<>();
                    for (int i = 0; i < TOGETHER; i++) {
                        String repository = "repo-" + round + "-" + i;
                        started.add(pool.submit(() -> {
                            start.await();
                            return store.start(repository, "/src", "build", "true", Instant.now(),
                                    Isolation.SANDBOX);
                        }));
                    }
                    for (Future<Long> f : started) {
                        try {
                            ids.add(f.get());
                        } catch (java.util.concurrent.ExecutionException e) {
                            failures.add("round " + round + ": " + e.getCause().getMessage());
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures, "every check started is recorded");
        assertEquals(ROUNDS * TOGETHER, ids.size(), "each with an id of its own: " + ids);
    }
}
