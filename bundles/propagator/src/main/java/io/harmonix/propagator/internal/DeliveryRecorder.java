package io.harmonix.propagator.internal;

import io.harmonix.index.api.IndexedCycle;
import io.harmonix.propagator.api.DeliveryAttempt;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes one endpoint's delivered attempts durable while its worker sends the next request: the attempts and the
 * cursor of every delivery that arrived while a transaction ran go into the next one (one synced commit for
 * several deliveries). A backlog then costs a round trip per cycle and a commit per group, overlapped, instead of
 * both one after the other (docs/performance.md, "Propagation").
 *
 * <p>What it changes after a crash: the cycles delivered but not yet recorded (at most {@link #MAX_PENDING}, a
 * few in practice) are sent again, with the same webhook-id, as a cycle delivered just before a crash always was;
 * receivers drop them by that id (the ingest side does). A cycle counts as delivered (the worker's listener, the
 * endpoint idle) only once recorded. The worker waits for it ({@link #flush}) before any other write of its
 * endpoint, so the cursor only moves forward and the attempts keep their order.
 */
final class DeliveryRecorder {
    /** Deliveries waiting for their commit, at most: the worker waits beyond (the database is far behind). */
    static final int MAX_PENDING = 64;

    /** A delivered cycle and the attempt that delivered it. */
    record Delivered(IndexedCycle cycle, DeliveryAttempt attempt) {
    }

    private final DeliveryStore store;
    private final Consumer<Delivered> onDurable;
    private final String threadName;
    private final List<Delivered> queue = new ArrayList<>();
    private Thread thread;
    private boolean writing;
    private boolean closed;
    private SQLException failure;

    /** @param onDurable told of each delivery once its commit is done, in order */
    DeliveryRecorder(DeliveryStore store, String endpointId, Consumer<Delivered> onDurable) {
        this.store = store;
        this.onDurable = onDurable;
        this.threadName = "harmonix-propagate-" + endpointId + "-record";
    }

    /**
     * Queues a delivery for the next commit.
     *
     * @throws SQLException the failure of an earlier commit (its deliveries are not recorded: the worker reads
     *     its cursors again and sends them again)
     */
    synchronized void add(Delivered d) throws SQLException, InterruptedException {
        rethrow();
        while (queue.size() >= MAX_PENDING) {
            wait();
            rethrow();
        }
        if (closed) {
            throw new IllegalStateException("the recorder of " + threadName + " is closed");
        }
        queue.add(d);
        if (thread == null) {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    /** Waits until every delivery queued is recorded. @throws SQLException when a commit failed meanwhile */
    synchronized void flush() throws SQLException, InterruptedException {
        while ((!queue.isEmpty() || writing) && failure == null) {
            wait();
        }
        rethrow();
    }

    /** Records what is queued, then stops its thread. */
    void close() throws InterruptedException {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            t = thread;
        }
        if (t != null) {
            t.join();
        }
    }

    private void rethrow() throws SQLException {
        if (failure != null) {
            SQLException f = failure;
            failure = null;
            throw f;
        }
    }

    private void run() {
        while (true) {
            List<Delivered> group;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return; // never interrupted but by the JVM's end: what is queued is sent again later
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                group = new ArrayList<>(queue);
                queue.clear();
                writing = true;
            }
            try {
                store.recordDelivered(group.stream().map(Delivered::attempt).toList());
                group.forEach(onDurable);
                synchronized (this) {
                    writing = false;
                    notifyAll();
                }
            } catch (SQLException | RuntimeException e) {
                synchronized (this) {
                    failure = e instanceof SQLException s ? s : new SQLException("recording deliveries: " + e, e);
                    queue.clear(); // later ones too: the worker starts again from the durable cursor
                    writing = false;
                    notifyAll();
                }
            }
        }
    }
}
