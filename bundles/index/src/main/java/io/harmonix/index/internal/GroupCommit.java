package io.harmonix.index.internal;

import io.harmonix.cycle.api.CycleSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The writer thread of a namespace's log, and the queue of appends it serves. Appends that wait together are
 * written as one batch and share one sync (group commit); with {@link IndexSettings.Sync#GROUP} and a group delay,
 * the thread first waits that long for more appends to join the first. Each append returns once its batch is
 * written and synced as the policy says; a deferred append ({@link #appendDeferred}) is written by its caller's
 * thread and returns at once, the thread syncing it with its next batch.
 */
final class GroupCommit {
    /**
     * An append waiting to be written.
     *
     * @param written for a deferred append: completed once its records are written (not yet synced), else null
     * @param done completed with how many of the snapshots were new once durable, or with why the batch failed
     */
    record Request(List<CycleSnapshot> snapshots, CompletableFuture<Integer> written,
            CompletableFuture<Integer> done) {
    }

    /** What the writer thread does. */
    interface Writer {
        /** Writes a batch with one sync, completing each request; throwing fails every request of the batch. */
        void write(List<Request> batch, IndexSettings.Sync sync) throws IOException;

        /**
         * Writes snapshots on the caller's thread, unsynced, between two batches (never while one is written or
         * synced).
         *
         * @return how many were new
         */
        int writeNow(List<CycleSnapshot> snapshots) throws IOException;

        /** Called after each batch, and every 200 ms without appends: for work that can wait (the manifest). */
        void between();
    }

    private final String namespace;
    private final Supplier<IndexSettings> settings;
    private final Writer writer;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /**
     * Set under {@link #adding}, and requests are queued under it only while it is unset: the thread, which stops
     * once it reads it set and the queue empty, then never leaves a request behind unanswered.
     */
    private volatile boolean closing;
    private final Object adding = new Object();

    /** Starts the writer thread. */
    GroupCommit(String namespace, Supplier<IndexSettings> settings, Writer writer) {
        this.namespace = namespace;
        this.settings = settings;
        this.writer = writer;
        thread = new Thread(this::writeLoop, "harmonix-index-" + namespace);
        thread.setDaemon(true);
        thread.start();
    }

    /** Appends through the writer thread; returns once durable as the sync policy says. */
    int append(List<CycleSnapshot> snapshots) throws IOException {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        enqueue(new Request(List.copyOf(snapshots), null, done));
        return await(done);
    }

    private void enqueue(Request r) throws IOException {
        synchronized (adding) {
            if (closing) {
                throw new IOException("index " + namespace + " is closed");
            }
            queue.add(r);
        }
    }

    /**
     * Appends without waiting for the sync: the records are written at once on the caller's thread, and the writer
     * thread syncs them with its next batch ({@link IndexSettings.Sync#ALWAYS}: the writer thread writes and forces
     * them, and this returns once they are written). The caller waits for no other thread: the record is written
     * (a kill of the process loses nothing of it) when this returns, as when the writer thread wrote it, without
     * the two wake-ups of that hand-off.
     *
     * @return completed with how many snapshots were new once they are durable as the sync policy says, or with
     *     why they could not be made so
     */
    CompletableFuture<Integer> appendDeferred(List<CycleSnapshot> snapshots) throws IOException {
        if (closing) {
            throw new IOException("index " + namespace + " is closed");
        }
        CompletableFuture<Integer> written = new CompletableFuture<>();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        if (settings.get().sync() == IndexSettings.Sync.ALWAYS) {
            enqueue(new Request(List.copyOf(snapshots), written, done));
            await(written);
            return done;
        }
        // a write cannot fall inside a batch's write and sync: both hold the log's lock. Written and queued under
        // the closing flag's lock: a close between the two would leave a record written that its caller was told
        // failed (and the run, failing that cycle, would make it again with other content, which the log skips)
        synchronized (adding) {
            if (closing) {
                throw new IOException("index " + namespace + " is closed");
            }
            written.complete(writer.writeNow(snapshots));
            queue.add(new Request(List.of(), written, done));
        }
        return done;
    }

    private int await(CompletableFuture<Integer> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while appending to index " + namespace, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Refuses new appends, and waits (up to 10 s) for the thread to write those already waiting. */
    void close() {
        synchronized (adding) {
            closing = true;
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        while (!closing || !queue.isEmpty()) {
            List<Request> batch = new ArrayList<>();
            try {
                Request first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    writer.between();
                    continue;
                }
                batch.add(first);
                IndexSettings s = settings.get();
                if (s.sync() == IndexSettings.Sync.GROUP && !s.groupDelay().isZero()) {
                    long end = System.nanoTime() + s.groupDelay().toNanos();
                    Request more;
                    while ((more = queue.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                        batch.add(more);
                    }
                }
                queue.drainTo(batch);
                writer.write(batch, s.sync());
                writer.between();
            } catch (InterruptedException e) {
                if (!closing) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IOException | RuntimeException e) {
                batch.forEach(r -> {
                    if (r.written() != null) {
                        r.written().completeExceptionally(e);
                    }
                    r.done().completeExceptionally(e);
                });
            }
        }
    }
}
