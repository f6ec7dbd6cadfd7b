package io.harmonix.autonomy.internal.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.networknt.schema.Schema;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.autonomy.api.Risk;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ledger file's format, {@code {"version": 1, "items": [...]}} (docs/formats/backlog.schema.json): items as
 * JSON with the seed's snake-case names, and a text read into items or into every problem it has. Beyond the
 * schema: each id once, and no item updated before it was created. An id is checked for its form only: the seed
 * keeps no title, so {@code repo:type:title} cannot be hashed again.
 */
public final class LedgerDocument {
    public static final int VERSION = 1;
    static final Schema SCHEMA = CheckedJson.schema(LedgerDocument.class, "backlog.schema.json");
    private static final ObjectWriter PRETTY = CheckedJson.JSON.writer(SerializationFeature.INDENT_OUTPUT);
    private static final String EXPECTED = "{\"version\": 1, \"items\": [...]}";
    /** The order of items() and of the file: highest priority first, then oldest, then by id. */
    public static final Comparator<BacklogItem> ORDER = Comparator.comparingInt(BacklogItem::priority)
            .thenComparing(BacklogItem::createdAt).thenComparing(BacklogItem::id);

    /** A text read: its items when it has no problem, else every problem (and no item). */
    public record Read(List<BacklogItem> items, List<LedgerProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private LedgerDocument() {
    }

    /** Reads a file's bytes, which must be UTF-8. */
    public static Read read(byte[] bytes) {
        try {
            return read(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return new Read(List.of(), List.of(new LedgerProblem("", 1, 1, "not UTF-8 text (" + e.getMessage()
                    + "); expected " + EXPECTED)));
        }
    }

    public static Read read(String text) {
        CheckedJson.Parsed parsed = CheckedJson.parse(CheckedJson.JSON, text, EXPECTED);
        if (!parsed.ok()) {
            return new Read(List.of(), parsed.problems());
        }
        List<LedgerProblem> problems = new ArrayList<>(CheckedJson.validate(SCHEMA, parsed));
        if (!problems.isEmpty()) {
            return new Read(List.of(), List.copyOf(problems));
        }
        List<BacklogItem> items = new ArrayList<>();
        Map<String, Integer> firstAt = new HashMap<>();
        JsonNode array = parsed.root().get("items");
        for (int i = 0; i < array.size(); i++) {
            String at = "/items/" + i;
            JsonNode n = array.get(i);
            String id = n.get("id").asText();
            Integer first = firstAt.putIfAbsent(id, i);
            if (first != null) {
                LedgerProblem f = parsed.at("/items/" + first + "/id", "");
                problems.add(parsed.at(at + "/id", "duplicate id '" + id + "' (first at /items/" + first + ", line "
                        + f.line() + "): expected each id once"));
                continue;
            }
            BacklogItem item = item(n);
            if (item.updatedAt().isBefore(item.createdAt())) {
                problems.add(parsed.at(at + "/updated_at", "updated_at " + item.updatedAt()
                        + " is before created_at " + item.createdAt() + ": expected the same or later"));
            }
            items.add(item);
        }
        if (!problems.isEmpty()) {
            return new Read(List.of(), List.copyOf(problems));
        }
        items.sort(ORDER);
        return new Read(List.copyOf(items), List.of());
    }

    /** @return the file's text for {@code items} (sorted as {@link #ORDER}), ending with a line break */
    public static String write(List<BacklogItem> items) {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("version", VERSION);
        ArrayNode array = root.putArray("items");
        items.stream().sorted(ORDER).forEach(i -> array.add(json(i)));
        try {
            return PRETTY.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }

    /** @return the problems {@code item} would give the file, each named by its field (empty when it is fine) */
    public static List<String> check(BacklogItem item) {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("version", VERSION);
        root.putArray("items").add(json(item));
        return CheckedJson.validate(SCHEMA, new CheckedJson.Parsed(root, null, List.of())).stream()
                .map(p -> p.pointer().replace("/items/0/", "") + ": " + p.message()).toList();
    }

    /** @return the item with the seed's field names */
    public static ObjectNode json(BacklogItem i) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", i.id()).put("repo", i.repo()).put("type", i.type().json()).put("priority", i.priority())
                .put("risk", i.risk().json()).put("status", i.status().json());
        ArrayNode links = n.putArray("evidence_links");
        i.evidenceLinks().forEach(links::add);
        n.put("created_at", i.createdAt().toString()).put("updated_at", i.updatedAt().toString())
                .put("policy_decision_ref", i.policyDecisionRef()).put("run_id", i.runId())
                .put("workflow", i.workflow()).put("commit_sha", i.commitSha());
        return n;
    }

    /** Reads an item that passed the schema. */
    static BacklogItem item(JsonNode n) {
        List<String> links = new ArrayList<>();
        n.get("evidence_links").forEach(l -> links.add(l.asText()));
        return new BacklogItem(n.get("id").asText(), n.get("repo").asText(),
                ItemType.valueOf(upper(n, "type")), n.get("priority").asInt(), Risk.valueOf(upper(n, "risk")),
                ItemStatus.valueOf(upper(n, "status")), links, Instant.parse(n.get("created_at").asText()),
                Instant.parse(n.get("updated_at").asText()), text(n, "policy_decision_ref"), text(n, "run_id"),
                text(n, "workflow"), text(n, "commit_sha"));
    }

    private static String upper(JsonNode n, String field) {
        return n.get(field).asText().toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode n, String field) {
        return n.get(field).isNull() ? null : n.get(field).asText();
    }
}
