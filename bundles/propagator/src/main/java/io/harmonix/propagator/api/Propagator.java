package io.harmonix.propagator.api;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The propagator's service: what the propagate: commands use. */
@ProviderType
public interface Propagator {
    /** @return the endpoints of the registry, in its order */
    List<Endpoint> endpoints();

    /** @return problems of etc/registry.json and etc/pulse.json as last read (empty when both are fine) */
    List<String> configurationProblems();

    /** @return the status of every endpoint */
    List<EndpointStatus> status();

    /** @return the latest attempts at an endpoint, newest first */
    List<DeliveryAttempt> attempts(String endpointId, int limit);

    /** @return the dead-letter list of one endpoint, or of all when {@code endpointId} is null */
    List<DeadLetter> deadLetters(String endpointId);

    /**
     * Sends a cycle to an endpoint again (ahead of its cursor), with the same {@code webhook-id} as before.
     *
     * @throws IllegalArgumentException for an unknown endpoint or a cycle id the index does not hold
     */
    void redeliver(String endpointId, String cycleId) throws IOException;

    /** Sends every dead letter of an endpoint again. @return how many were queued */
    int redeliverDead(String endpointId);

    /** Stops sending to an endpoint (durably: it stays paused across restarts) until {@link #resume}. */
    void pause(String endpointId);

    /** Sends again to a paused endpoint; also re-enables an endpoint that a 410 answer disabled. */
    void resume(String endpointId);

    /** Sends a signed ping to an endpoint now and records the attempt. */
    DeliveryAttempt test(String endpointId) throws IOException, InterruptedException;

    /**
     * Waits until every enabled, unpaused endpoint has no lag.
     *
     * @return true when idle, false when the timeout came first
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException;
}
