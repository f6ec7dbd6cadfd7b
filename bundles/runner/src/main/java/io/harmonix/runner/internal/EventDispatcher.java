package io.harmonix.runner.internal;

import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers cycle events to the listener whiteboard. Each listener has its own queue and thread, so events reach it
 * in the order they were published (hence in order per run), and a slow or failing listener delays nobody else.
 * A queue holds at most {@value #QUEUE_CAPACITY} events; past that, events for that listener are dropped and
 * counted in the log (events are for waking up, never the only copy of anything).
 */
final class EventDispatcher {
    static final int QUEUE_CAPACITY = 10_000;

    private final Map<CycleListener, Delivery> deliveries = new ConcurrentHashMap<>();
    private final RunnerLog log;

    EventDispatcher(RunnerLog log) {
        this.log = log;
    }

    void addListener(CycleListener listener, String name) {
        deliveries.computeIfAbsent(listener, l -> new Delivery(l, name));
    }

    void removeListener(CycleListener listener) {
        Delivery d = deliveries.remove(listener);
        if (d != null) {
            d.executor.shutdownNow();
        }
    }

    void publish(CycleEvent event) {
        for (Delivery d : deliveries.values()) {
            d.offer(event);
        }
    }

    /** Lets queued events be delivered for up to {@code millis}, then drops the rest. */
    void close(long millis) throws InterruptedException {
        for (Delivery d : deliveries.values()) {
            d.executor.shutdown();
        }
        long end = System.currentTimeMillis() + millis;
        for (Delivery d : deliveries.values()) {
            d.executor.awaitTermination(Math.max(0, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            d.executor.shutdownNow();
        }
        deliveries.clear();
    }

    private final class Delivery {
        final CycleListener listener;
        final String name;
        final ThreadPoolExecutor executor;
        final AtomicLong dropped = new AtomicLong();

        Delivery(CycleListener listener, String name) {
            this.listener = listener;
            this.name = name;
            this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(QUEUE_CAPACITY), r -> {
                        Thread t = new Thread(r, "harmonix-events-" + name);
                        t.setDaemon(true);
                        return t;
                    });
        }

        void offer(CycleEvent event) {
            try {
                executor.execute(() -> deliver(event));
            } catch (RejectedExecutionException e) {
                if (!executor.isShutdown()) {
                    long n = dropped.incrementAndGet();
                    if (n == 1 || n % 1000 == 0) {
                        log.warn("cycle listener " + name + " is too slow: its queue of " + QUEUE_CAPACITY
                                + " events is full; " + n + " events dropped for it so far", null);
                    }
                }
            }
        }

        private void deliver(CycleEvent event) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException | LinkageError e) {
                log.warn("cycle listener " + name + " failed on " + event.type() + " of run " + event.runId()
                        + " cycle " + event.cycle(), e);
            }
        }
    }
}
