package io.harmonix.autonomy.internal.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.config.api.SourcePositions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A JSON or YAML text read strictly and checked against a JSON Schema of docs/formats (copied into the bundle),
 * every problem with its JSON Pointer, line and column: the ledger and the policy file are both read so.
 */
public final class CheckedJson {
    /** A key given twice is an error: read leniently, the second silently won. */
    public static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** Keywords whose error is about a property of the object at the instance location. */
    private static final Set<String> ON_PROPERTY = Set.of("required", "additionalProperties");

    /**
     * What was read: the tree and the positions of its values, or the one syntax problem that stopped it.
     *
     * @param root null when {@code problems} holds the syntax error
     */
    public record Parsed(JsonNode root, SourcePositions where, List<LedgerProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** @return a problem at the position of {@code pointer} (of its closest parent that has one) */
        public LedgerProblem at(String pointer, String message) {
            int[] lc = where == null ? new int[] {1, 1} : where.of(pointer);
            return new LedgerProblem(pointer, lc[0], lc[1], message);
        }
    }

    private CheckedJson() {
    }

    /**
     * @param mapper a strict mapper of the text's format (JSON, or YAML with duplicate detection)
     * @param expected what the document should be, for the message of an empty or unreadable one
     */
    public static Parsed parse(ObjectMapper mapper, String text, String expected) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return new Parsed(null, null, List.of(new LedgerProblem("", loc == null ? 1 : Math.max(1,
                    loc.getLineNr()), loc == null ? 1 : Math.max(1, loc.getColumnNr()), "not valid "
                    + (mapper == JSON ? "JSON" : "YAML") + ": " + oneLine(e.getOriginalMessage()) + " (expected "
                    + expected + ")")));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Parsed(null, null, List.of(new LedgerProblem("", 1, 1, "empty; expected " + expected)));
        }
        try {
            return new Parsed(root, new SourcePositions(mapper.getFactory().createParser(text)), List.of());
        } catch (IOException e) {
            throw new IllegalStateException("it parsed once already", e);
        }
    }

    /** SnakeYAML's messages span lines (a caret under a quoted line): one line, so each problem is one. */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** @return the schema's errors, each at its pointer's position, a missing or unknown property at its own */
    public static List<LedgerProblem> validate(Schema schema, Parsed parsed) {
        List<LedgerProblem> problems = new ArrayList<>();
        for (Error err : schema.validate(parsed.root(),
                ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)))) {
            String at = err.getInstanceLocation().toString();
            String pointer = err.getProperty() != null && ON_PROPERTY.contains(err.getKeyword())
                    ? at + "/" + err.getProperty() : at;
            String message = err.getMessage();
            if (message.startsWith(at + ": ")) {
                message = message.substring(at.length() + 2);
            }
            LedgerProblem p = parsed.at(pointer, message);
            if (!problems.contains(p)) {
                problems.add(p);
            }
        }
        return problems;
    }

    /** @return the schema {@code resource} next to {@code anchor}'s class in the bundle (copied from docs/formats) */
    public static Schema schema(Class<?> anchor, String resource) {
        var url = anchor.getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " missing from the bundle (docs/formats is copied in)");
        }
        try (InputStream in = url.openStream()) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
