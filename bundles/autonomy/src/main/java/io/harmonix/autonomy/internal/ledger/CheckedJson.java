package io.harmonix.autonomy.internal.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
    /**
     * A key given twice is an error: read leniently, the second silently won. Anything after the document is an
     * error too: read leniently, a concatenated or half-merged file ({@code {...} {...}}, a {@code >>>>>>>} tail) read
     * as its first document, valid and nearly empty, and the next write dropped the rest.
     */
    public static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    /** The same for YAML (which reads JSON too): a second document ({@code ---}) is refused, not ignored. */
    public static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
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
     * @param mapper {@link #JSON} or {@link #YAML}
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
                    + (mapper == YAML ? "YAML" : "JSON") + ": " + said(e) + " (expected " + expected + ")")));
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

    /**
     * @return what a strict mapper's error says, on one line. Reading a tree, the only mismatch is
     *         FAIL_ON_TRAILING_TOKENS's (at the second value's start), whose message names Jackson's internals rather
     *         than the likely cause.
     */
    public static String said(JsonProcessingException e) {
        return e instanceof MismatchedInputException ? "a second document starts here, after the first; a file "
                + "holds one (was it concatenated, or half-merged?)" : oneLine(e.getOriginalMessage());
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
