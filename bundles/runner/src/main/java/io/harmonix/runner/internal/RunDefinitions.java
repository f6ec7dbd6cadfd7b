package io.harmonix.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.runner.api.RunRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A run's definition as the journal keeps it: what is needed to go on with it in another process. */
final class RunDefinitions {
    private RunDefinitions() {
    }

    static JsonNode toJson(RunRequest r, Duration deadline) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        var agents = o.putArray("agents");
        r.agentIds().forEach(agents::add);
        o.put("cycles", r.cycles());
        o.put("intervalMillis", r.interval().toMillis());
        o.put("deadlineMillis", deadline.toMillis());
        if (r.inputs() != null) {
            o.set("inputs", r.inputs());
        }
        return o;
    }

    static RunRequest fromJson(String runId, JsonNode d) {
        List<String> agents = new ArrayList<>();
        d.path("agents").forEach(a -> agents.add(a.asText()));
        return new RunRequest(runId, agents, d.path("cycles").asLong(),
                Duration.ofMillis(d.path("intervalMillis").asLong()),
                Duration.ofMillis(Math.max(1, d.path("deadlineMillis").asLong())),
                d.has("inputs") ? d.get("inputs") : null);
    }
}
