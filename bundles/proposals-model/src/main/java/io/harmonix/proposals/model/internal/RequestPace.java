package io.harmonix.proposals.model.internal;

/**
 * Spaces the requests to the model evenly: at most {@code perMinute} a minute, without bursts (each request is a
 * paid, slow call; a burst would only meet the provider's own rate limit). The propagator's token bucket is internal
 * to its bundle, hence this small one.
 */
final class RequestPace {
    private final long intervalNanos;
    private long next = Long.MIN_VALUE;

    RequestPace(double perMinute) {
        this.intervalNanos = (long) (60e9 / perMinute);
    }

    /** Waits for the next slot and takes it. */
    synchronized void await() throws InterruptedException {
        long now = System.nanoTime();
        if (next != Long.MIN_VALUE && now - next < 0) {
            long wait = next - now;
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            now = next;
        }
        next = now + intervalNanos;
    }
}
