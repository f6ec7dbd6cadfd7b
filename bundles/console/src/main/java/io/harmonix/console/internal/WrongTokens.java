package io.harmonix.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wrong console tokens by client address, so that the token cannot be guessed at the speed of the network: each
 * address has a bucket of {@value #BURST} wrong attempts, refilled one every {@link #REFILL}; once it is empty,
 * every attempt with a token from that address (right or wrong: a right one found while refused would still tell)
 * is answered 429 with {@code Retry-After} until a wrong attempt is allowed again. A token bucket as the
 * propagator's ({@code io.harmonix.propagator.internal.TokenBucket}), which is private to its bundle and counts
 * nanoseconds per endpoint; here the clock is the sessions' (tests move it) and there is one bucket per address.
 * At most {@value #ADDRESSES} addresses are remembered: a full map forgets the address whose bucket is fullest (the
 * least suspicious), so that many addresses cannot make the console forget one that is guessing.
 */
final class WrongTokens {
    static final int BURST = 10;
    static final Duration REFILL = Duration.ofSeconds(6);
    static final int ADDRESSES = 10_000;

    /** An address's bucket: tokens left as of {@code at}. */
    private record Bucket(double tokens, Instant at) {
    }

    private final Map<String, Bucket> buckets = new LinkedHashMap<>();
    private final Clock clock;

    WrongTokens(Clock clock) {
        this.clock = clock;
    }

    /**
     * Before a token from {@code address} is compared.
     *
     * @throws ApiException 429 naming when to try again while the address has no wrong attempt left
     */
    synchronized void check(String address) {
        Bucket b = refilled(address);
        if (b != null && b.tokens() < 1) {
            long wait = (long) Math.ceil((1 - b.tokens()) * REFILL.toMillis() / 1000.0);
            throw new TooMany(Math.max(1, wait));
        }
    }

    /** After a wrong token from {@code address}: one attempt fewer. */
    synchronized void wrong(String address) {
        Bucket b = refilled(address);
        if (b == null) {
            if (buckets.size() >= ADDRESSES) {
                buckets.entrySet().stream().max(Map.Entry.comparingByValue(
                        java.util.Comparator.comparingDouble(Bucket::tokens))).map(Map.Entry::getKey)
                        .ifPresent(buckets::remove);
            }
            b = new Bucket(BURST, clock.instant());
        }
        buckets.put(address, new Bucket(b.tokens() - 1, b.at()));
    }

    /** @return the address's bucket filled up to now (forgotten when full again), or null when it has none */
    private Bucket refilled(String address) {
        Bucket b = buckets.get(address);
        if (b == null) {
            return null;
        }
        Instant now = clock.instant();
        double tokens = Math.min(BURST, b.tokens() + (double) Duration.between(b.at(), now).toMillis()
                / REFILL.toMillis());
        if (tokens >= BURST) {
            buckets.remove(address);
            return null;
        }
        Bucket fresh = new Bucket(tokens, now);
        buckets.put(address, fresh);
        return fresh;
    }

    /** The 429: the seconds to wait go into {@code Retry-After}. */
    static final class TooMany extends ApiException {
        private static final long serialVersionUID = 1L;
        private final long retryAfterSeconds;

        TooMany(long retryAfterSeconds) {
            super(429, "too many wrong console tokens from this address: try again in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
