package io.harmonix.propagator.internal;

import io.harmonix.propagator.api.DeliveryAttempt.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/** What an answer means, and how long to wait before the next attempt. */
final class RetryPolicy {
    private final PropagatorSettings settings;
    private final DoubleSupplier random;

    RetryPolicy(PropagatorSettings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    /**
     * @param status HTTP status, 0 when no answer came (timeout, refused)
     * @param refusals the refusals ({@link #isRefusal}) of this cycle so far, this answer's included
     */
    Outcome classify(int status, int refusals) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        if (status == 410) {
            return Outcome.DISABLED;
        }
        if (!isRefusal(status)) {
            return Outcome.RETRY;
        }
        return refusals >= settings.attempts() ? Outcome.DEAD : Outcome.REJECTED;
    }

    /**
     * @return whether an answer refuses the cycle itself (a 3xx or 4xx but 408, 410 and 429), as opposed to a receiver
     *     that is away, busy or starting (no answer, 5xx, 408, 429): only refusals count toward dead-lettering, so
     *     that a cycle retried while its peer restarted is not dead-lettered at the first 4xx after
     */
    static boolean isRefusal(int status) {
        return status >= 300 && status < 500 && status != 408 && status != 410 && status != 429;
    }

    /** Exponential backoff with jitter, at most the maximum delay; a Retry-After answer wins when longer. */
    Duration delay(int attempt, String retryAfter, Instant now) {
        double base = settings.initialDelay().toNanos() * Math.pow(settings.multiplier(), Math.max(0, attempt - 1));
        double jittered = base * (1 + settings.jitter() * (2 * random.getAsDouble() - 1));
        long nanos = (long) Math.min(settings.maxDelay().toNanos(), Math.max(0, jittered));
        Duration d = Duration.ofNanos(nanos);
        Duration asked = retryAfter(retryAfter, now);
        if (asked != null && asked.compareTo(d) > 0) {
            // honoured, but never beyond the longest delay (or an hour when that is shorter)
            Duration cap = settings.maxDelay().compareTo(Duration.ofHours(1)) > 0 ? settings.maxDelay()
                    : Duration.ofHours(1);
            d = asked.compareTo(cap) > 0 ? cap : asked;
        }
        return d;
    }

    /** @return a Retry-After header's wait (seconds or an HTTP date), or null when absent or unreadable */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(h)));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException x) {
                return null;
            }
        }
    }
}
