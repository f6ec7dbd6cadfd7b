package io.harmonix.cycle.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener of cycle events: register it as a service and the runner delivers every event to it,
 * asynchronously and in order per run. A listener that throws or is slow delays only its own deliveries.
 *
 * <p>Events are for waking up and for live views; durable data (the index, the state store) is the only copy
 * to rely on.
 */
@ConsumerType
public interface CycleListener {
    void onEvent(CycleEvent event);
}
