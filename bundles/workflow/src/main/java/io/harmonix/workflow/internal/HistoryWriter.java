package io.harmonix.workflow.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit of the instances' histories: every entry waiting, of every instance, is written in one transaction
 * (one log force), then each instance is told how far its history is durable. Entries that arrive while a
 * transaction is written go into the next. Instances queue their entries under their own lock and never write under
 * it; what depends on an entry being durable (a dependent task starting, the instance being done) waits for that
 * answer ({@link InstanceRun#durable}).
 *
 * <p>Who writes: a thread that has just queued an entry something waits for (a task that ended) calls {@link #flush}
 * once out of the instance's lock, and writes the waiting entries itself when no other thread is writing (leader
 * and followers: no hand-off to another thread in a chain of tasks); the writer thread of this class writes whatever
 * nobody flushed. Batches are taken and written under one lock, so an instance's entries reach the database in
 * their order. The connection stays open between batches (opening one and preparing its statements cost more than a
 * commit); {@link #close} gives it back.
 *
 * <p>A transaction that fails is reported, and the instances whose entries it held stop here ({@code unrecorded}):
 * their in-memory state is ahead of their history now, and going on would write later entries over a hole (a task
 * that ended, not recorded, then its dependents' entries: a history no replay can follow). Nothing more of theirs
 * is written, even entries already queued; they go on from their history where they are resumed next (in a
 * cluster, by whichever runtime claims their lease once it expires, this one too). A failure while the engine
 * closes only answers the entries, as before: nothing waits for them any more.
 */
final class HistoryWriter implements AutoCloseable {
    /** A write waiting: an entry to append, or old entries to delete. */
    interface Write {
        /** The instance to tell once this is durable (or failed), or null. */
        InstanceRun run();

        /** The instance's id. */
        String id();

        /** The history sequence this write makes durable (0 for none). */
        long sequence();
    }

    private final InstanceStore store;
    private final Consumer<String> warn;
    private final Consumer<InstanceRun> unrecorded;
    /** Instances stopped by a failed write: none of their entries is written after it (under {@link #writing}). */
    private final Set<InstanceRun> stopped = Collections.newSetFromMap(new WeakHashMap<>());
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    /** Held by whoever takes a batch from the queue and writes it. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Thread thread;
    private Connection connection;
    private volatile boolean closing;

    /** @param unrecorded told of each instance whose entries a failed transaction held: it stops here */
    HistoryWriter(InstanceStore store, Consumer<String> warn, Consumer<InstanceRun> unrecorded) {
        this.store = store;
        this.warn = warn;
        this.unrecorded = unrecorded;
        this.thread = new Thread(this::writeLoop, "harmonix-workflow-history");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a write; the instance hears of it once it is in the database. */
    void add(Write w) {
        synchronized (queue) {
            queue.add(w);
            queue.notifyAll();
        }
        if (closing && !thread.isAlive()) {
            flush(); // closed: written by the caller, or answered when the database is gone
        }
    }

    /** Writes what is waiting now, unless another thread is writing (it takes what it finds next). */
    void flush() {
        if (writing.tryLock()) {
            try {
                while (writeBatch()) {
                    // entries that came while a batch was written go into the next, by the same thread
                }
            } finally {
                writing.unlock();
            }
        }
    }

    /** Writes what is queued, then stops the thread (waiting up to 10 s) and gives the connection back. */
    @Override
    public void close() {
        closing = true;
        synchronized (queue) {
            queue.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writing.lock();
        try {
            while (writeBatch()) {
                // what came after the thread stopped
            }
            drop();
        } finally {
            writing.unlock();
        }
    }

    private void writeLoop() {
        while (true) {
            synchronized (queue) {
                while (queue.isEmpty() && !closing) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
            }
            writing.lock();
            try {
                writeBatch();
            } finally {
                writing.unlock();
            }
        }
    }

    /** Under {@link #writing}: takes every write waiting and writes them in one transaction. @return whether any */
    private boolean writeBatch() {
        List<Write> batch;
        synchronized (queue) {
            if (queue.isEmpty()) {
                return false;
            }
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        if (!stopped.isEmpty()) {
            batch.removeIf(w -> stopped.contains(w.run()));
            if (batch.isEmpty()) {
                return true;
            }
        }
        try {
            if (connection == null) {
                connection = store.connect();
            }
            Set<String> fenced = store.write(connection, batch);
            if (!fenced.isEmpty()) {
                // not written, and never to be told durable: their runs stop here (another runtime holds them)
                batch = batch.stream().filter(w -> !fenced.contains(w.id())).toList();
            }
        } catch (SQLException | RuntimeException e) {
            drop();
            if (closing) {
                // the engine closes (the store bundle stops): what is not recorded is done again on resume
                warn.accept("workflow history: " + batch.size() + " entries not recorded: " + e.getMessage());
                answer(batch);
                return true;
            }
            Set<InstanceRun> runs = new LinkedHashSet<>();
            batch.forEach(w -> {
                if (w.run() != null) {
                    runs.add(w.run());
                }
            });
            stopped.addAll(runs);
            warn.accept("workflow history: " + batch.size() + " entries not recorded: " + e.getMessage() + "; "
                    + "their " + runs.size() + " instances stop here and go on from their history where they are "
                    + "resumed (claimed once their lease expires)");
            for (InstanceRun run : runs) {
                try {
                    unrecorded.accept(run);
                } catch (RuntimeException failed) {
                    warn.accept("workflow " + run.id + ": not stopped after its history failed: " + failed);
                }
            }
            return true;
        }
        answer(batch);
        return true;
    }

    private void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closed by Derby already
            }
            connection = null;
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
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // The engine's pool (unbounded) refuses only once the engine is closing: the entry is durable, and
                // what it enables runs when the instance resumes from its history at the next start; not a fault.
            } catch (RuntimeException e) {
                warn.accept("workflow " + run.id + ": after its history entry " + sequence + ": " + e);
            }
        });
    }
}
