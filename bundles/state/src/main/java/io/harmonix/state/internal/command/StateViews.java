package io.harmonix.state.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.Json;

/** How stored states read as JSON in the shell. */
final class StateViews {
    private StateViews() {
    }

    static ObjectNode json(StoredState s, boolean withPayload) {
        ObjectNode o = Json.fields(s, "agentId", "runId", "cycle", "stateVersion", "savedAt");
        if (withPayload) {
            o.set("state", s.payload());
        }
        return o;
    }
}
