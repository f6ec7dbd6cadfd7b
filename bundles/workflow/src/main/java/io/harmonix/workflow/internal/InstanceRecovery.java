package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.TaskState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an instance's history back into its {@link InstanceRun} (after a crash, for a retry, to look at an
 * instance no longer in memory, for a replay): ended tasks are set as they ended, with the times the history
 * holds; tasks started and not ended are handed back to run again. Out of {@link InstanceRun} so that the state
 * machine stays one readable class; it calls only the run's recovery hooks.
 */
final class InstanceRecovery {
    private InstanceRecovery() {
    }

    static void replay(InstanceRun run, List<HistoryEvent> history) {
        Map<String, Integer> failedAttempts = new HashMap<>();
        Map<String, HistoryEvent> started = new LinkedHashMap<>();
        boolean paused = false;
        boolean cancelled = false;
        for (HistoryEvent e : history) {
            run.sequence.set(Math.max(run.sequence.get(), e.sequence()));
            TaskRun t = e.task() == null ? null : run.task(e.task());
            HistoryKind kind = HistoryKind.of(e.kind()).orElse(null);
            if (kind == null) {
                continue; // a kind this version does not know changes nothing it knows
            }
            switch (kind) {
                case TASK_STARTED -> {
                    started.put(e.task(), e);
                    if (t != null) {
                        t.startedAt = e.at(); // as live: the latest start (a resumed task started again)
                    }
                }
                case ATTEMPT_FAILED -> failedAttempts.merge(e.task(), 1, Integer::sum);
                case TASK_SUCCEEDED, TASK_FAILED, TASK_SKIPPED, TASK_CANCELLED -> {
                    started.remove(e.task());
                    if (t != null && t.state == TaskState.PENDING) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> out = (Map<String, Object>) e.data().get("output");
                        t.attempts.set(((Number) e.data().getOrDefault("attempts", 0)).intValue());
                        run.recoveredEnd(t, kind.endedState().orElseThrow(), out, (String) e.data().get("reason"),
                                e.at());
                    }
                }
                case ITEM_SUCCEEDED -> {
                    if (t != null) {
                        t.itemsDone.put(((Number) e.data().get("index")).intValue(), e.data().get("output"));
                    }
                }
                case ITERATION_SUCCEEDED -> {
                    if (t != null) {
                        t.lastIteration = ((Number) e.data().get("iteration")).intValue();
                        @SuppressWarnings("unchecked")
                        Map<String, Object> out = (Map<String, Object>) e.data().get("output");
                        t.lastIterationOutput = out;
                    }
                }
                case INSTANCE_RETRIED -> {
                    @SuppressWarnings("unchecked")
                    List<String> reset = (List<String>) e.data().get("reset");
                    reset.forEach(started::remove);
                    run.resetTasks(reset);
                    paused = false;
                    cancelled = false;
                }
                case INSTANCE_PAUSED -> paused = true;
                case INSTANCE_RESUMED -> paused = false;
                case INSTANCE_CANCELLED -> cancelled = true;
                case INSTANCE_STARTED, INSTANCE_FINISHED -> { } // what they carry is in the instance's row
            }
        }
        for (String id : started.keySet()) {
            TaskRun t = run.task(id);
            if (t != null && t.state == TaskState.PENDING) {
                t.attempts.set(failedAttempts.getOrDefault(id, 0));
                run.recoveredRunning(t);
            }
        }
        run.recoveredControl(paused, cancelled);
    }
}
