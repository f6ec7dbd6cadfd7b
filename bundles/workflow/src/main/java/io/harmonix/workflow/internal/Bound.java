package io.harmonix.workflow.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bound of one expression evaluation: a deadline, and the thread's interrupt (a cancel). JEXL reads the
 * cancellation flag of its context ({@code JexlContext.CancellationHandle}) and the thread's interrupt between steps
 * of loops and calls, so {@code while(true){}} ends once {@link #arm} raised the flag at the deadline; regex
 * matching asks {@link #check} as it reads characters ({@link BoundedRegex}), since {@code java.util.regex} itself
 * never looks at an interrupt.
 */
final class Bound {
    /**
     * Raises flags at their deadlines. One thread for the whole runtime, gone when idle for a second (so a stopped
     * bundle leaves no thread behind).
     */
    private static final ScheduledThreadPoolExecutor ALARMS = alarms();

    /** What an evaluation may take when nothing tighter bounds it (framework property {@value #LIMIT_PROPERTY}). */
    static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);
    static final String LIMIT_PROPERTY = "harmonix.workflow.expressionLimit";

    private static volatile Duration limit = DEFAULT_LIMIT;

    /** JEXL's cancellation flag: raised at the deadline. */
    final AtomicBoolean flag = new AtomicBoolean();
    private final long deadline;
    private final Duration length;
    private final String why;

    private Bound(Duration length, String why) {
        this(System.nanoTime() + length.toNanos(), length, why);
    }

    private Bound(long deadline, Duration length, String why) {
        this.deadline = deadline;
        this.length = length;
        this.why = why;
    }

    /** The configured limit (set once by the workflow component; a static because expressions are static). */
    static void limit(Duration d) {
        limit = d == null || d.isNegative() || d.isZero() ? DEFAULT_LIMIT : d;
    }

    static Duration limit() {
        return limit;
    }

    /** @return a bound of the configured expression limit from now */
    static Bound standard() {
        return new Bound(limit, "the expression limit");
    }

    /**
     * @param timeout the task's timeout, or null
     * @return the task's timeout from now when it has one (an expression counts against it), else the limit
     */
    static Bound of(Duration timeout) {
        return timeout == null ? standard() : new Bound(timeout, "the task's timeout");
    }

    /** @return a bound ending at {@code until} (what is left of a task's timeout) */
    static Bound until(Instant until, Duration timeout) {
        long left = Math.max(0, Duration.between(Instant.now(), until).toNanos());
        return new Bound(System.nanoTime() + left, timeout, "the task's timeout");
    }

    boolean expired() {
        return System.nanoTime() - deadline >= 0;
    }

    /** @throws Cut when the evaluation must stop */
    void check() {
        if (expired() || Thread.currentThread().isInterrupted()) {
            throw cut();
        }
    }

    /** @return what to cancel once the evaluation ended: the alarm raising {@link #flag} at the deadline */
    ScheduledFuture<?> arm() {
        return ALARMS.schedule(() -> flag.set(true), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor alarms() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "workflow-expression-bounds");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.setKeepAliveTime(1, TimeUnit.SECONDS);
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** @return why an evaluation stopped: its bound passed, or its thread was interrupted (a cancel) */
    Cut cut() {
        if (!expired()) {
            // Before the deadline only an interrupt stops an evaluation. JEXL clears the thread's interrupt flag when
            // it reads it (Thread.interrupted()), so the flag cannot tell; it is set again for the caller's sake.
            Thread.currentThread().interrupt();
            return new Cut("evaluation interrupted (the task was cancelled)", true);
        }
        return new Cut("evaluation cut after " + Durations.text(length) + " (" + why + ")", false);
    }

    /** An evaluation stopped by its bound or by an interrupt. */
    static final class Cut extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient boolean interrupted;

        Cut(String message, boolean interrupted) {
            super(message, null, false, false);
            this.interrupted = interrupted;
        }
    }

    /** Durations as the workflow files write them (1500ms, 2s, 5m). */
    private static final class Durations {
        static String text(Duration d) {
            long ms = d.toMillis();
            if (ms % 60_000 == 0 && ms > 0) {
                return ms / 60_000 + "m";
            }
            return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
    }
}
