package io.harmonix.state.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.shell.api.Json;

/** How stored states read as JSON in the shell. */
final class StateViews {
    private StateViews() {
    }

    static ObjectNode json(StoredState s, boolean withPayload) {
        ObjectNode o = Json.object();
        o.put("agentId", s.agentId());
        o.put("runId", s.runId());
        o.put("cycle", s.cycle());
        o.put("stateVersion", s.stateVersion());
        o.put("savedAt", s.savedAt().toString());
        if (withPayload) {
            o.set("state", s.payload());
        }
        return o;
    }
}
