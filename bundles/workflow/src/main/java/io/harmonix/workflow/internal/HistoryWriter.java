package io.harmonix.workflow.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Group commit of the instances' histories: one thread writes every entry waiting, of every instance, in one
 * transaction (one log force), then tells each instance how far its history is durable. Entries that arrive while
 * a transaction is written go into the next. Instances queue their entries under their own lock and never write
 * under it; what depends on an entry being durable (a dependent task starting, the instance being done) waits for
 * that answer ({@link InstanceRun#durable}).
 *
 * <p>A transaction that fails is reported and its entries count as answered, as a failed write did before this
 * writer existed: what was not recorded is done again when the instance resumes.
 */
final class HistoryWriter implements AutoCloseable {
    /** A write waiting: an entry to append, or old entries to delete. */
    interface Write {
        /** The instance to tell once this is durable (or failed), or null. */
        InstanceRun run();

        /** The history sequence this write makes durable (0 for none). */
        long sequence();
    }

    private final InstanceStore store;
    private final Consumer<String> warn;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    HistoryWriter(InstanceStore store, Consumer<String> warn) {
        this.store = store;
        this.warn = warn;
        this.thread = new Thread(this::writeLoop, "harmonix-workflow-history");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a write; the instance hears of it once it is in the database. */
    void add(Write w) {
        if (closing && !thread.isAlive()) {
            answer(List.of(w)); // closed: nothing more is written, nobody may wait for it
            return;
        }
        queue.add(w);
    }

    /** Writes what is queued, then stops the thread (waiting up to 10 s). */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Write> left = new ArrayList<>();
        queue.drainTo(left);
        answer(left);
    }

    private void writeLoop() {
        while (!closing || !queue.isEmpty()) {
            List<Write> batch = new ArrayList<>();
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                store.write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                // the database is going away (the store bundle stops): what is not recorded is done again on resume
                warn.accept("workflow history: " + batch.size() + " entries not recorded: " + e.getMessage());
            }
            answer(batch);
        }
    }

    /** Tells each instance the last sequence of its own that {@code batch} held (its entries are in order). */
    private void answer(List<Write> batch) {
        Map<InstanceRun, Long> last = new LinkedHashMap<>();
        for (Write w : batch) {
            if (w.run() != null && w.sequence() > 0) {
                last.merge(w.run(), w.sequence(), Math::max);
            }
        }
        last.forEach((run, sequence) -> {
            try {
                run.durable(sequence);
            } catch (RuntimeException e) {
                warn.accept("workflow " + run.id + ": after its history entry " + sequence + ": " + e);
            }
        });
    }
}
