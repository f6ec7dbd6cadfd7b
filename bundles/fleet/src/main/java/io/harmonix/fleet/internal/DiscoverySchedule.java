package io.harmonix.fleet.internal;

import io.harmonix.config.api.CronSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs discovery at the fire times of a cron expression: one timer for the next fire time, set again after each
 * run from the clock (so a run that outlasts a fire time skips it rather than queue behind itself). A discovery
 * that fails, or is refused because {@code repo:discover} is running, is reported and the schedule goes on.
 */
final class DiscoverySchedule implements AutoCloseable {
    private final CronSchedule cron;
    private final Runnable discovery;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Consumer<RuntimeException> failed;
    private ScheduledFuture<?> pending;
    private Instant nextFire;
    private boolean closed;

    DiscoverySchedule(CronSchedule cron, Runnable discovery, ScheduledExecutorService timer, Clock clock,
            Consumer<RuntimeException> failed) {
        this.cron = cron;
        this.discovery = discovery;
        this.timer = timer;
        this.clock = clock;
        this.failed = failed;
    }

    synchronized DiscoverySchedule start() {
        Instant now = clock.instant();
        nextFire = cron.next(now);
        if (!closed && !nextFire.equals(Instant.MAX)) {
            long delay = Math.max(0, Duration.between(now, nextFire).toMillis());
            pending = timer.schedule(this::fire, delay, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** @return when discovery runs next ({@link Instant#MAX}: never) */
    synchronized Instant nextFire() {
        return nextFire;
    }

    private void fire() {
        try {
            discovery.run();
        } catch (RuntimeException e) {
            failed.accept(e);
        }
        start();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
