package io.harmonix.autonomy.internal.controller;

import static io.harmonix.autonomy.api.AutonomyController.WORKFLOW;

import io.harmonix.autonomy.api.ControllerRun;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.WorkflowService;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The controller's runs: one at a time (a trigger while one goes is counted against it), each a workflow instance
 * with its row in the run store, the rows kept in step with the engine's instances.
 */
final class ControllerRuns {
    private final RunStore store;
    private final WorkflowService workflows;
    private final Consumer<String> note;
    private final Function<SQLException, IllegalStateException> storeFailed;

    ControllerRuns(RunStore store, WorkflowService workflows, Consumer<String> note,
            Function<SQLException, IllegalStateException> storeFailed) {
        this.store = store;
        this.workflows = workflows;
        this.note = note;
        this.storeFailed = storeFailed;
    }

    private void note(String line) {
        note.accept(line);
    }

    private IllegalStateException storeFailed(SQLException e) {
        return storeFailed.apply(e);
    }

    synchronized ControllerRun start(String trigger) {
        try {
            reconcile();
            adoptUnrecorded();
            List<RunStore.RunRow> running = store.running();
            if (!running.isEmpty()) {
                String id = running.get(0).id();
                store.coalesce(id);
                note("trigger '" + trigger + "' while run " + id + " runs: coalesced into it");
                return run(id).orElseThrow();
            }
            // the run keeps its trigger's kind (schedule, event, command): at most the column's 32 characters
            String kind = trigger.length() > 32 ? trigger.substring(0, 32) : trigger;
            InstanceInfo i = workflows.start(WORKFLOW, ControllerWorkflow.VERSION, Map.of("trigger", kind), null);
            store.insertRun(i.id(), kind, i.startedAt() == null ? Instant.now() : i.startedAt());
            note("run " + i.id() + " started (" + trigger + ")");
            return run(i.id()).orElseThrow();
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    /** Ends the runs the store says are running whose workflow instance has ended (a failed phase, a cancel). */
    private void reconcile() throws SQLException {
        for (RunStore.RunRow r : store.running()) {
            reconcile(r);
        }
    }

    private void reconcile(RunStore.RunRow r) throws SQLException {
        Optional<InstanceInfo> i = workflows.instance(r.id());
        if (i.isEmpty()) {
            store.end(r.id(), RunStore.FAILED, Instant.now());
        } else if (i.get().state().finished()) {
            store.end(r.id(), i.get().state() == InstanceState.SUCCEEDED ? RunStore.COMPLETED : RunStore.FAILED,
                    i.get().endedAt() == null ? Instant.now() : i.get().endedAt());
        }
    }

    /**
     * Records the controller's workflow instances that go on without a run row: a kill between an instance's start
     * and its row's insert leaves one, which its first phase would record only later. Without this, a trigger in
     * between would start a second run beside it.
     */
    private void adoptUnrecorded() throws SQLException {
        for (InstanceInfo i : workflows.instances()) {
            if (WORKFLOW.equals(i.workflow()) && !i.state().finished() && store.run(i.id()).isEmpty()) {
                Object trigger = i.input() == null ? null : i.input().get("trigger");
                store.insertRun(i.id(), trigger == null ? "command" : trigger.toString(),
                        i.startedAt() == null ? Instant.now() : i.startedAt());
                note("run " + i.id() + " was going on without its record: recorded");
            }
        }
    }

    Optional<ControllerRun> run(String id) {
        try {
            Optional<RunStore.RunRow> row = store.run(id);
            if (row.isPresent() && RunStore.RUNNING.equals(row.get().state())) {
                reconcile(row.get());
                row = store.run(id);
            }
            return row.map(this::view);
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    List<ControllerRun> runs(int limit) {
        try {
            reconcile();
            return store.runs(limit).stream().map(this::view).toList();
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    private ControllerRun view(RunStore.RunRow r) {
        try {
            return RunView.of(r, store);
        } catch (SQLException e) {
            throw storeFailed(e);
        }
    }

    ControllerRun await(String id, Duration timeout) throws InterruptedException, TimeoutException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            ControllerRun r = run(id).orElseThrow(() -> new java.util.NoSuchElementException(
                    "autonomy: no controller run " + id));
            if (!RunStore.RUNNING.equals(r.state())) {
                return r;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("autonomy: run " + id + " still in " + r.phase() + " after " + timeout);
            }
            workflows.await(id, Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
        }
    }
}
