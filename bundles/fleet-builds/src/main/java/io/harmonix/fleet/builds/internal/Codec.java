package io.harmonix.fleet.builds.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.BreakingCommit;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plans and outcomes as JSON, the form they are kept in and shown with {@code --json}. */
final class Codec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Codec() {
    }

    static ObjectNode outcome(RepositoryOutcome o) {
        ObjectNode n = MAPPER.createObjectNode().put("name", o.name())
                .put("outcome", o.outcome().name().toLowerCase(java.util.Locale.ROOT)).put("commit", o.commit())
                .put("reason", o.reason()).put("durationMs", o.duration().toMillis()).put("flaky", o.flaky());
        o.checks().forEach(n.putArray("checks")::add);
        if (o.breakingCommit() != null) {
            n.set("breakingCommit", breaking(o.breakingCommit()));
        }
        return n;
    }

    static ObjectNode breaking(BreakingCommit b) {
        ObjectNode bn = MAPPER.createObjectNode().put("commit", b.commit()).put("author", b.author())
                .put("subject", b.subject()).put("lastGreen", b.lastGreen());
        b.checks().forEach(bn.putArray("checks")::add);
        return bn;
    }

    static BreakingCommit breaking(JsonNode b) {
        return new BreakingCommit(b.path("commit").asText(), b.path("author").asText(), b.path("subject").asText(),
                b.path("lastGreen").asText(), ids(b));
    }

    static RepositoryOutcome outcome(JsonNode n) {
        JsonNode b = n.path("breakingCommit");
        BreakingCommit breaking = b.isObject() ? breaking(b) : null;
        return new RepositoryOutcome(n.path("name").asText(),
                Outcome.valueOf(n.path("outcome").asText().toUpperCase(java.util.Locale.ROOT)), text(n, "commit"),
                text(n, "reason"), ids(n), Duration.ofMillis(n.path("durationMs").asLong()),
                n.path("flaky").asBoolean(), breaking);
    }

    static String plan(Plan p) {
        ObjectNode n = MAPPER.createObjectNode().put("key", p.key()).put("startedAt", p.startedAt().toString())
                .put("affectedSince", p.affectedSince()).put("parallel", p.parallel());
        n.set("levels", MAPPER.valueToTree(p.levels()));
        ObjectNode jobs = n.putObject("jobs");
        p.jobs().forEach((name, j) -> jobs.putObject(name).put("path", j.path()).put("commit", j.commit())
                .put("buildCommand", j.buildCommand()).put("testCommand", j.testCommand()));
        n.set("tasks", MAPPER.valueToTree(p.tasks()));
        n.set("dependencies", MAPPER.valueToTree(p.dependencies()));
        n.set("unknown", MAPPER.valueToTree(p.unknown()));
        ArrayNode settled = n.putArray("settled");
        p.settled().forEach(o -> settled.add(outcome(o)));
        return n.toString();
    }

    static Plan plan(String json) {
        JsonNode n = read(json);
        List<RepositoryOutcome> settled = new ArrayList<>();
        n.path("settled").forEach(o -> settled.add(outcome(o)));
        return new Plan(n.path("key").asText(), Instant.parse(n.path("startedAt").asText()),
                text(n, "affectedSince"), n.path("parallel").asInt(),
                MAPPER.convertValue(n.path("levels"), MAPPER.getTypeFactory().constructCollectionType(List.class,
                        MAPPER.getTypeFactory().constructCollectionType(List.class, String.class))),
                jobs(n.path("key").asText(), n.path("jobs")), strings(n.path("tasks")), lists(n.path("dependencies")), settled,
                lists(n.path("unknown")));
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("fleet build record is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, RepositoryBuilder.Job> jobs(String key, JsonNode n) {
        Map<String, RepositoryBuilder.Job> map = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> map.put(e.getKey(), new RepositoryBuilder.Job(key, e.getKey(),
                text(e.getValue(), "path"), text(e.getValue(), "commit"), text(e.getValue(), "buildCommand"),
                text(e.getValue(), "testCommand"))));
        return map;
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> map = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static Map<String, List<String>> lists(JsonNode n) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            map.put(e.getKey(), values);
        });
        return map;
    }

    private static List<Long> ids(JsonNode n) {
        List<Long> ids = new ArrayList<>();
        n.path("checks").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
