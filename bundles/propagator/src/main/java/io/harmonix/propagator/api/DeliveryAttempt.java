package io.harmonix.propagator.api;

import java.time.Instant;

/**
 * One HTTP request to an endpoint, as recorded.
 *
 * @param endpoint endpoint id
 * @param namespace namespace of the cycle (null for a test ping)
 * @param sequence the cycle's position in its namespace's log (-1 for a test ping)
 * @param cycleId the cycle id (null for a test ping)
 * @param webhookId the {@code webhook-id} sent: the same for every attempt at one cycle on one endpoint
 * @param attempt 1 for the first attempt at this cycle, then 2, 3...
 * @param at when the request was sent
 * @param status HTTP status, 0 when none came back (connection refused, timeout)
 * @param latencyMillis from sending to the answer (or the failure)
 * @param outcome what followed
 * @param error what went wrong, null when delivered
 */
public record DeliveryAttempt(String endpoint, String namespace, long sequence, String cycleId, String webhookId,
        int attempt, Instant at, int status, long latencyMillis, Outcome outcome, String error) {

    /** What an attempt led to. */
    public enum Outcome {
        /** 2xx: delivered, the cursor moved on. */
        DELIVERED,
        /** 429, 5xx, timeout or no connection: tried again after a backoff. */
        RETRY,
        /** another 4xx (or 3xx): tried again up to the configured attempts, then dead-lettered. */
        REJECTED,
        /** the last of the configured attempts was refused: the cycle went to the dead-letter list. */
        DEAD,
        /** 410 Gone: the endpoint was disabled. */
        DISABLED,
        /** a signed ping from propagate:test. */
        TEST
    }
}
