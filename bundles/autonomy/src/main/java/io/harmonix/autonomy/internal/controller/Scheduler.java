package io.harmonix.autonomy.internal.controller;

import io.harmonix.config.api.CronSchedule;
import io.harmonix.workflow.api.WorkflowService;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The controller's own thread: it deploys the workflow at start, fires the cron schedule (each fire a run, or a
 * trigger coalesced into the one running) and starts the runs the trigger event asks for, so that neither an event
 * publisher nor DS waits for a run to start.
 */
final class Scheduler implements AutoCloseable {
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harmonix-autonomy");
        t.setDaemon(true);
        return t;
    });
    private final Runnable fire;
    private final Consumer<String> warn;
    private ScheduledFuture<?> pending;
    private Instant next;
    private CronSchedule schedule;

    Scheduler(Runnable fire, Consumer<String> warn) {
        this.fire = fire;
        this.warn = warn;
    }

    /**
     * @param atFirstUse exec mode: the workflow is deployed at the engine's first use (see
     *     {@link WorkflowService#atFirstUse}), not at start, where that booted the database for every command
     */
    void deployThenSchedule(WorkflowService workflows, CronSchedule s, boolean atFirstUse) {
        if (atFirstUse) {
            workflows.atFirstUse(() -> {
                try {
                    ControllerWorkflow.deploy(workflows, warn);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.execute(() -> reschedule(s));
            return;
        }
        thread.execute(() -> {
            try {
                ControllerWorkflow.deploy(workflows, warn);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            reschedule(s);
        });
    }

    void submit(Runnable r) {
        thread.execute(() -> guarded(r));
    }

    synchronized void reschedule(CronSchedule s) {
        schedule = s;
        if (pending != null) {
            pending.cancel(false);
        }
        pending = null;
        next = null;
        if (s == null || thread.isShutdown()) {
            return;
        }
        Instant at = s.next(Instant.now());
        if (at.equals(Instant.MAX)) {
            return;
        }
        next = at;
        long delay = Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
        pending = thread.schedule(() -> {
            guarded(fire);
            reschedule(schedule);
        }, delay, TimeUnit.MILLISECONDS);
    }

    synchronized Instant next() {
        return next;
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            warn.accept("autonomy: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
