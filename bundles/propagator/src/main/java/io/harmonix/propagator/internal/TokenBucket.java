package io.harmonix.propagator.internal;

import java.util.function.LongSupplier;

/** Caps requests per second: {@code burst} tokens at most, refilled at {@code perSecond}; one per request. */
final class TokenBucket {
    private final double perNano;
    private final double burst;
    private final LongSupplier clock;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, int burst, LongSupplier nanoClock) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.clock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes a token. @return nanoseconds to wait before using it (0: now) */
    synchronized long take() {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }
}
