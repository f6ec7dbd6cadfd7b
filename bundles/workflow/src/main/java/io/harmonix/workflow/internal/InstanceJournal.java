package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceState;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An instance's journal in the database: each entry appended to its history (with the instance's new state, and
 * its output and error once it has finished), group-committed with the entries of other instances by the
 * {@link HistoryWriter}, which tells the instance when it is durable; what depends on it waits for that
 * ({@link InstanceRun#durable}). A write that fails stops the instances it held here (see {@link HistoryWriter}):
 * what was not recorded is done again when the instance resumes.
 */
final class InstanceJournal implements InstanceRun.Journal, AutoCloseable {
    private final HistoryWriter writer;
    private final BooleanSupplier engineClosed;

    /** @param unrecorded told of an instance whose entries could not be written: it stops here */
    InstanceJournal(InstanceStore store, Consumer<String> warn, BooleanSupplier engineClosed,
            Consumer<InstanceRun> unrecorded) {
        this.writer = new HistoryWriter(store, warn, unrecorded);
        this.engineClosed = engineClosed;
    }

    /** Writes the entries queued, then stops: call once the instances record nothing more. */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public void record(InstanceRun run, HistoryKind kind, String task, Map<String, Object> data,
            InstanceState state) {
        if (engineClosed.getAsBoolean() || run.abandoned()) {
            // stopping: tasks interrupted now are not cancelled, they resume with the next engine; abandoned:
            // another runtime holds the instance's lease and goes on with it
            return;
        }
        // numbered and queued together: the writer then has each instance's entries in their order, so that "durable
        // up to N" holds for every entry before N (a task's attempts record from pool threads, off the lock)
        synchronized (run.sequence) {
            var e = new HistoryEvent(run.sequence.incrementAndGet(), Instant.now(), kind.key(), task, data);
            writer.add(new InstanceStore.Append(run, run.id, e, state,
                    state != null && state.finished() ? run.output() : null,
                    state != null && state.finished() ? run.error() : null));
        }
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public void forget(InstanceRun run, String task, HistoryKind kind, int keep) {
        if (engineClosed.getAsBoolean() || run.abandoned()) {
            return;
        }
        writer.add(new InstanceStore.Forget(run, run.id, task, kind.key(), keep));
    }
}
