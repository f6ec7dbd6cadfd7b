package io.harmonix.waves.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How the runtime's other runs are keeping up: per run, the usual time of a cycle (the fastest of the recent ones,
 * what a cycle takes when nothing gets in its way) against the last one. {@link #slowdown} is the largest ratio over
 * the runs seen in the last minutes, 1 when there are none.
 */
final class RunPace {
    private static final Duration FORGET = Duration.ofMinutes(5);

    private record Pace(long usualNanos, long lastNanos, long seenAt) {
    }

    private final Map<String, Pace> runs = new HashMap<>();

    synchronized void cycle(String runId, Duration took) {
        long t = Math.max(1, took.toNanos());
        Pace p = runs.get(runId);
        long usual = p == null ? t : Math.min(p.usualNanos(), t);
        runs.put(runId, new Pace(usual, t, System.nanoTime()));
    }

    synchronized double slowdown() {
        long now = System.nanoTime();
        runs.values().removeIf(p -> now - p.seenAt() > FORGET.toNanos());
        double worst = 1;
        for (Pace p : runs.values()) {
            // below a millisecond a cycle's time is noise, not a slowdown
            double usual = Math.max(p.usualNanos(), 1_000_000L);
            worst = Math.max(worst, p.lastNanos() / usual);
        }
        return worst;
    }
}
