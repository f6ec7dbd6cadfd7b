package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceState;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An instance's journal in the database: each entry appended to its history (with the instance's new state, and
 * its output and error once it has finished) before it takes effect. A database that fails only shows in the
 * warnings: what was not recorded is done again when the instance resumes.
 */
final class InstanceJournal implements InstanceRun.Journal {
    private final InstanceStore store;
    private final Consumer<String> warn;
    private final BooleanSupplier engineClosed;

    InstanceJournal(InstanceStore store, Consumer<String> warn, BooleanSupplier engineClosed) {
        this.store = store;
        this.warn = warn;
        this.engineClosed = engineClosed;
    }

    @Override
    public void record(InstanceRun run, HistoryKind kind, String task, Map<String, Object> data,
            InstanceState state) {
        if (engineClosed.getAsBoolean()) {
            return; // stopping: tasks interrupted now are not cancelled, they resume with the next engine
        }
        var e = new HistoryEvent(run.sequence.incrementAndGet(), Instant.now(), kind.key(), task, data);
        try {
            store.append(run.id, e, state, state != null && state.finished() ? run.output() : null,
                    state != null && state.finished() ? run.error() : null);
        } catch (SQLException x) {
            // the database is going away (the store bundle stops): what is not recorded is done again on resume
            warn.accept("workflow " + run.id + ": history entry " + kind.key() + " not recorded: " + x.getMessage());
        }
    }

    @Override
    public void forget(InstanceRun run, String task, HistoryKind kind, int keep) {
        if (engineClosed.getAsBoolean()) {
            return;
        }
        try {
            store.forget(run.id, task, kind.key(), keep);
        } catch (SQLException x) {
            warn.accept("workflow " + run.id + ": old " + kind.key() + " entries not deleted: " + x.getMessage());
        }
    }
}
