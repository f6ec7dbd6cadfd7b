package io.harmonix.propagator.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.propagator.api.DeliveryAttempt;

/** How delivery attempts read as JSON in the shell. */
final class PropagateViews {
    private PropagateViews() {
    }

    static ObjectNode attemptJson(ObjectNode o, DeliveryAttempt a) {
        return o.put("endpoint", a.endpoint()).put("namespace", a.namespace()).put("sequence", a.sequence())
                .put("cycleId", a.cycleId()).put("webhookId", a.webhookId()).put("attempt", a.attempt())
                .put("at", a.at().toString()).put("status", a.status()).put("latencyMillis", a.latencyMillis())
                .put("outcome", a.outcome().name().toLowerCase()).put("error", a.error());
    }
}
