package io.harmonix.cycle.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of {@link CycleSnapshot}s and digests of JSON state.
 *
 * <p>Canonical JSON here means: UTF-8, no insignificant whitespace, object keys sorted at every level, agents
 * sorted by id, instants in ISO-8601 UTC with nanosecond precision as Java prints them. Two equal snapshots always
 * give the same bytes, so a digest of them is stable.
 */
public final class CycleSnapshots {
    /** Class-path resource (in this bundle) of the snapshot's JSON Schema, draft 2020-12. */
    public static final String SCHEMA_RESOURCE = "/io/harmonix/cycle/api/cycle-snapshot.schema.json";

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CycleSnapshots() {
    }

    /** @return the JSON tree of a snapshot */
    public static ObjectNode toTree(CycleSnapshot s) {
        ObjectNode root = NODES.objectNode();
        root.put("schemaVersion", s.schemaVersion());
        root.put("runId", s.runId());
        root.put("cycle", s.cycle());
        root.put("cycleId", s.cycleId());
        root.put("startedAt", s.startedAt().toString());
        root.put("endedAt", s.endedAt().toString());
        root.put("status", s.status().name().toLowerCase(Locale.ROOT));
        ArrayNode agents = root.putArray("agents");
        for (AgentEntry a : s.agents()) {
            ObjectNode e = agents.addObject();
            e.put("agentId", a.agentId());
            e.put("agentType", a.agentType());
            e.put("status", a.status().name().toLowerCase(Locale.ROOT));
            e.put("stateDigest", a.stateDigest());
            e.set("outputs", a.outputs().deepCopy());
            e.set("metrics", metricsTree(a.metrics()));
            e.put("durationMillis", a.durationMillis());
            if (a.error() != null) {
                e.put("error", a.error());
            }
        }
        root.set("metrics", metricsTree(s.metrics()));
        return root;
    }

    /** @return the canonical JSON text of a snapshot */
    public static String toCanonicalJson(CycleSnapshot s) {
        return canonicalJson(toTree(s));
    }

    /**
     * Reads a snapshot from its JSON form.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static CycleSnapshot fromJson(String json) {
        try {
            return fromTree(CANONICAL.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a snapshot from its JSON tree.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static CycleSnapshot fromTree(JsonNode root) {
        List<AgentEntry> agents = new ArrayList<>();
        JsonNode list = field(root, "agents", "");
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = "/agents/" + i;
            agents.add(new AgentEntry(
                    text(e, "agentId", at),
                    e.path("agentType").asText(""),
                    AgentStatus.valueOf(text(e, "status", at).toUpperCase(Locale.ROOT)),
                    text(e, "stateDigest", at),
                    e.has("outputs") ? (ObjectNode) e.get("outputs") : null,
                    metrics(e.path("metrics")),
                    e.path("durationMillis").asLong(),
                    e.hasNonNull("error") ? e.get("error").asText() : null));
        }
        return new CycleSnapshot(
                field(root, "schemaVersion", "").asInt(),
                text(root, "runId", ""),
                field(root, "cycle", "").asLong(),
                text(root, "cycleId", ""),
                instant(root, "startedAt"),
                instant(root, "endedAt"),
                CycleStatus.valueOf(text(root, "status", "").toUpperCase(Locale.ROOT)),
                agents,
                metrics(root.path("metrics")));
    }

    /** @return the canonical JSON text of any JSON tree */
    public static String canonicalJson(JsonNode node) {
        try {
            return CANONICAL.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** @return SHA-256 (lower-case hex) of the canonical JSON of a tree; a Java null digests as JSON null */
    public static String digest(JsonNode node) {
        String json = node == null ? "null" : canonicalJson(node);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** @return the JSON Schema of snapshots, as text */
    public static String schema() {
        try (var in = CycleSnapshots.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from the bundle: " + SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("schema resource unreadable: " + SCHEMA_RESOURCE, e);
        }
    }

    private static ObjectNode metricsTree(Map<String, Double> metrics) {
        ObjectNode m = NODES.objectNode();
        metrics.forEach(m::put);
        return m;
    }

    private static Map<String, Double> metrics(JsonNode node) {
        Map<String, Double> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asDouble());
        }
        return m;
    }

    private static JsonNode field(JsonNode node, String name, String at) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("snapshot field " + at + "/" + name + " is missing");
        }
        return v;
    }

    private static String text(JsonNode node, String name, String at) {
        return field(node, name, at).asText();
    }

    private static Instant instant(JsonNode node, String name) {
        String v = text(node, name, "");
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("snapshot field /" + name + " is not an ISO-8601 instant: " + v, e);
        }
    }
}
