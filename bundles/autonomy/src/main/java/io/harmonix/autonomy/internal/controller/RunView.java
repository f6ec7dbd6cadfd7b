package io.harmonix.autonomy.internal.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.harmonix.autonomy.api.ControllerRun;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A controller run as the API shows it: its row, and its counts read from the results its phases recorded. */
final class RunView {
    static final ObjectMapper JSON = new ObjectMapper();

    private RunView() {
    }

    static ControllerRun of(RunStore.RunRow r, RunStore store) throws SQLException {
        JsonNode sense = result(store, r.id(), Phase.SENSE);
        JsonNode think = result(store, r.id(), Phase.THINK);
        JsonNode act = result(store, r.id(), Phase.ACT);
        JsonNode verify = result(store, r.id(), Phase.VERIFY);
        JsonNode ship = result(store, r.id(), Phase.SHIP);
        JsonNode learn = result(store, r.id(), Phase.LEARN);
        List<String> refusals = new ArrayList<>();
        act.path("refusals").forEach(n -> refusals.add(n.asText()));
        ship.path("refusals").forEach(n -> refusals.add(n.asText()));
        return new ControllerRun(r.id(), r.trigger(), r.startedAt(), r.endedAt(), r.phase(), r.state(),
                r.coalesced(), sense.path("signals").size(), think.path("items").size(), act.path("opened").size(),
                verify.path("verified").asInt(0), ship.path("shipped").size(), refusals,
                learn.path("document").isTextual() ? learn.path("document").asText() : null);
    }

    /** @return the phase's recorded result, or a missing node when it has none yet */
    static JsonNode result(RunStore store, String runId, Phase phase) throws SQLException {
        String text = store.result(runId, phase).orElse(null);
        if (text == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("autonomy: the recorded result of " + phase + " of run " + runId
                    + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
