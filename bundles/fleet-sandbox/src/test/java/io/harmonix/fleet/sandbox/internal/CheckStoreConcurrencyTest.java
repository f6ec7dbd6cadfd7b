package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.fleet.api.Isolation;
import io.harmonix.store.testing.StartedTogether;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks started at the same moment right after the runtime started, as the tasks of a fleet build resumed after a
 * crash start theirs. Derby hands the identity column's values out of a range it allocates in SYS.SYSSEQUENCES
 * (a fresh one after each boot), and when the allocation meets another connection's first INSERT into the table
 * (compiling it reads that row) Derby gives up at once with 40XL1, "A lock could not be obtained within the time
 * requested", without waiting: 17 of these 48 starts failed so before the store inserted one at a time.
 */
class CheckStoreConcurrencyTest {
    private static final int ROUNDS = 12;
    private static final int TOGETHER = 4;

    @TempDir
    Path dir;

    @Test
    void checksStartedTogetherAfterEachRestartAreAllRecorded() throws Exception {
        Set<Long> ids = new ConcurrentSkipListSet<>();
        List<String> failures = StartedTogether.afterEachBoot(dir, CheckStore.COMPONENT, CheckStore.MIGRATIONS,
                ROUNDS, TOGETHER, (dataSource, round, thread) -> ids.add(new CheckStore(dataSource).start(
                        "repo-" + round + "-" + thread, "/src", "build", "true", Instant.now(), Isolation.SANDBOX)));
        assertEquals(List.of(), failures, "every check started is recorded");
        assertEquals(ROUNDS * TOGETHER, ids.size(), "each with an id of its own: " + ids);
    }
}
