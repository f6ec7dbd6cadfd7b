package io.harmonix.index.internal;

import io.harmonix.cycle.api.CycleSnapshot;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;

/**
 * How the runner's cycles reach the local namespace ({@link IndexService#recordCycle}): the record of a run's cycle
 * is written at once and synced with the next group of the namespace's writer thread, while the runner commits the
 * run's next cycle; the record of the next cycle waits until this one is durable. So the sync of the index no longer
 * adds to a cycle's time, and the index is never more than two records of a run behind the run journal: the
 * previous cycle's, synced or not, and the last one. The runner's recovery records a resumed run's last two
 * committed cycles again (the index skips those it has), which is what makes the journal's commit the cycle's only
 * synced write (docs/architecture.md, "One cycle").
 *
 * <p>A record that could not be made durable fails the next record of its run, every time, until a cycle at or
 * before it is recorded again: the runner's recovery, which goes on in cycle order from there. Accepting the next
 * cycle instead would leave a gap.
 */
final class RunnerRecords {
    /** A run's last record whose sync is not known to have succeeded. */
    private record Unsynced(long cycle, CompletableFuture<Integer> durable) {
    }

    /** Writes a record; the future completes once it is durable. */
    interface Log {
        CompletableFuture<Integer> appendDeferred(CycleSnapshot snapshot) throws IOException;
    }

    private final Map<String, Unsynced> runs = new ConcurrentHashMap<>();

    /**
     * Records {@code snapshot} in {@code namespace} once the run's previous record there is durable.
     *
     * @param durable called once the record is durable, with how many records were new (0 or 1)
     * @throws IOException when the run's previous record could not be made durable, or this one written
     */
    void record(String namespace, CycleSnapshot snapshot, Log log, IntConsumer durable)
            throws IOException {
        String key = namespace + '\n' + snapshot.runId();
        Unsynced before = runs.get(key);
        if (before != null && before.cycle() < snapshot.cycle()) {
            try {
                before.durable().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for cycle " + before.cycle() + " of run "
                        + snapshot.runId() + " to be durable in index " + namespace, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IOException("cycle " + before.cycle() + " of run " + snapshot.runId() + " was written to "
                        + "index " + namespace + " but could not be made durable (" + cause.getMessage() + "); it is "
                        + "recorded again when the run resumes", cause);
            }
        }
        CompletableFuture<Integer> synced = log.appendDeferred(snapshot);
        Unsynced mine = new Unsynced(snapshot.cycle(), synced);
        runs.put(key, mine);
        synced.whenComplete((n, failure) -> {
            if (failure == null) {
                runs.remove(key, mine);
                durable.accept(n);
            }
        });
    }
}
