package io.harmonix.store.testing;

import io.harmonix.store.api.Migration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Several threads writing at the same moment right after the database booted, round after round, the database shut
 * down and booted again between rounds as a restarted runtime does. What a table with an identity column must bear:
 * Derby allocates the column's values in ranges in SYS.SYSSEQUENCES (a fresh one after each boot) without waiting for
 * a lock, and an allocation that meets another connection's INSERT into the table fails at once with 40XL1 (see
 * docs/architecture.md, "identity column"). A store that inserts one at a time comes out with no failure.
 */
public final class StartedTogether {
    /** One thread's write in one round. */
    @FunctionalInterface
    public interface Write {
        void run(DataSource dataSource, int round, int thread) throws Exception;
    }

    private StartedTogether() {
    }

    /**
     * @param folder the database's folder (as {@link DerbyFixture#open(Path, String, List)})
     * @return each write that threw, as {@code round R, thread T: message}; empty when every one succeeded
     */
    public static List<String> afterEachBoot(Path folder, String component, List<Migration> migrations, int rounds,
            int threads, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> failures = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                try (DerbyFixture derby = DerbyFixture.open(folder, component, migrations)) {
                    CyclicBarrier start = new CyclicBarrier(threads);
                    List<Future<?>> writes = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int r = round;
                        int thread = t;
                        writes.add(pool.submit(() -> {
                            start.await();
                            write.run(derby.dataSource(), r, thread);
                            return null;
                        }));
                    }
                    for (int t = 0; t < threads; t++) {
                        try {
                            writes.get(t).get();
                        } catch (ExecutionException e) {
                            failures.add("round " + round + ", thread " + t + ": " + e.getCause());
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }
}
