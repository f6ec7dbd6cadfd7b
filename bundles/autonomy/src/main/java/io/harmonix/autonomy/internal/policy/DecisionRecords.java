package io.harmonix.autonomy.internal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.CycleStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A decision as the index holds it: one cycle snapshot of the day's decision run ({@code decisions-2026-11-26},
 * cycle n, so the decision's id is the cycle id {@code decisions-2026-11-26:n} and {@code index:prove} proves it),
 * with one entry, agent {@value #AGENT}, whose outputs are the decision's fields.
 */
final class DecisionRecords {
    static final String AGENT = "autonomy-decision";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionRecords() {
    }

    /** @return the decision run of the day (UTC) of {@code at} */
    static String runOf(Instant at) {
        return "decisions-" + at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    static CycleSnapshot snapshot(Decision d, long cycle) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("decision", d.decision());
        ArrayNode policies = out.putArray("policies");
        d.policies().forEach(policies::add);
        out.set("inputs", JSON.valueToTree(d.inputs()));
        out.put("outcome", d.outcome());
        ArrayNode reasons = out.putArray("reasons");
        d.reasons().forEach(reasons::add);
        out.put("at", d.at().toString());
        out.put("runId", d.runId());
        AgentEntry entry = new AgentEntry(AGENT, AGENT, AgentStatus.OK, CycleSnapshots.digest(out), out, Map.of(), 0,
                null);
        String run = runOf(d.at());
        return new CycleSnapshot(CycleSnapshot.SCHEMA_VERSION, run, cycle, CycleSnapshot.cycleIdOf(run, cycle),
                d.at(), d.at(), CycleStatus.OK, List.of(entry), Map.of());
    }

    /** @return the decision a snapshot of the decision log holds, or null when it holds none */
    static Decision decision(CycleSnapshot s) {
        AgentEntry e = s.agent(AGENT);
        if (e == null) {
            return null;
        }
        JsonNode o = e.outputs();
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = JSON.convertValue(o.path("inputs"), LinkedHashMap.class);
        return new Decision(s.cycleId(), o.path("decision").asText(), strings(o.path("policies")), inputs,
                o.path("outcome").asText(), strings(o.path("reasons")), Instant.parse(o.path("at").asText()),
                o.path("runId").isNull() ? null : o.path("runId").asText(null));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * @return {@code inputs} as JSON values (maps, lists, strings, numbers, booleans; anything else as its text),
     *     every string, keys included, through {@code mask}; null values left out (a decision's inputs hold none)
     */
    static Map<String, Object> masked(Map<String, ?> inputs, UnaryOperator<String> mask) {
        Map<String, Object> out = new LinkedHashMap<>();
        inputs.forEach((k, v) -> {
            if (v != null) {
                out.put(mask.apply(k), value(v, mask));
            }
        });
        return out;
    }

    private static Object value(Object v, UnaryOperator<String> mask) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(mask.apply(String.valueOf(k)), x == null ? null : value(x, mask)));
            return out;
        }
        if (v instanceof Iterable<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(x == null ? null : value(x, mask)));
            return out;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v;
        }
        return mask.apply(String.valueOf(v));
    }
}
