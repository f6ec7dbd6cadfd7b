package io.harmonix.fleet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.config.api.SourcePositions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet manifest ({@code etc/repositories.json}) read and checked: syntax, then the JSON Schema of
 * docs/formats/repositories.schema.json, then duplicate names. A manifest with a syntax or schema error is not
 * {@link #usable()}: discovery then keeps the previous catalogue rather than drop what the manifest named. What
 * needs the repositories (a path that is not one, a build command that cannot run, an unknown dependency) is
 * checked by discovery, which reports it at the entry's position through {@link #problem}.
 */
final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Schema SCHEMA = schema("repositories.schema.json");
    private static final Set<String> PROPERTY_KEYWORDS = Set.of("required", "additionalProperties");

    /** One repository the manifest names; {@code pointer} is its JSON Pointer ({@code /repositories/3}). */
    record Entry(String name, Path path, String language, String buildCommand, String testCommand,
            List<String> dependencies, String pointer) {
    }

    private final String source;
    private final SourcePositions where;
    private final List<Entry> entries;
    private final List<String> problems;
    private final boolean usable;

    private Manifest(String source, SourcePositions where, List<Entry> entries, List<String> problems,
            boolean usable) {
        this.source = source;
        this.where = where;
        this.entries = entries;
        this.problems = problems;
        this.usable = usable;
    }

    /**
     * @param file the manifest; absent is an empty manifest (the fleet may be only what the roots hold)
     * @param source how problems name the file (its path as configured)
     * @param home what relative {@code path}s resolve against
     */
    static Manifest read(Path file, String source, Path home) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Manifest(source, null, List.of(), List.of(), true);
        } catch (IOException e) {
            return new Manifest(source, null, List.of(), List.of(source + ": cannot be read: " + e), false);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return new Manifest(source, null, List.of(), List.of(source + ":" + (loc == null ? 1 : loc.getLineNr())
                    + ":" + (loc == null ? 1 : loc.getColumnNr()) + ": not valid JSON: " + e.getOriginalMessage()
                    + " (expected {\"repositories\": [...]})"), false);
        }
        if (root == null) {
            return new Manifest(source, null, List.of(), List.of(source + ":1:1: empty; expected "
                    + "{\"repositories\": [...]}"), false);
        }
        SourcePositions where;
        try {
            where = new SourcePositions(JSON.getFactory().createParser(text));
        } catch (IOException e) {
            throw new IllegalStateException(e); // it parsed above
        }
        Manifest checking = new Manifest(source, where, List.of(), new ArrayList<>(), false);
        for (Error err : SCHEMA.validate(root)) {
            String at = err.getInstanceLocation().toString();
            // a missing or unexpected property is reported on its object: name the property itself
            boolean onProperty = err.getProperty() != null && PROPERTY_KEYWORDS.contains(err.getKeyword());
            String field = onProperty ? at + "/" + err.getProperty() : at;
            String message = err.getMessage().startsWith(at + ": ") ? err.getMessage().substring(at.length() + 2)
                    : err.getMessage();
            checking.problems.add(checking.problem(field, (field.isEmpty() ? "" : field + ": ") + message));
        }
        if (!checking.problems.isEmpty()) {
            return new Manifest(source, where, List.of(), List.copyOf(checking.problems), false);
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> firstAt = new HashMap<>();
        JsonNode repos = root.get("repositories");
        for (int i = 0; i < repos.size(); i++) {
            JsonNode r = repos.get(i);
            String pointer = "/repositories/" + i;
            String name = r.get("name").asText();
            String first = firstAt.putIfAbsent(name, where.at(pointer + "/name"));
            if (first != null) {
                checking.problems.add(checking.problem(pointer + "/name", "duplicate name '" + name + "' (first at "
                        + first + "): expected each name once; this entry is left out"));
                continue;
            }
            List<String> deps = new ArrayList<>();
            r.path("dependencies").forEach(d -> deps.add(d.asText()));
            entries.add(new Entry(name, home.resolve(r.get("path").asText()).normalize(), text(r, "language"),
                    text(r, "build_command"), text(r, "test_command"), deps, pointer));
        }
        return new Manifest(source, where, List.copyOf(entries), List.copyOf(checking.problems), true);
    }

    private static String text(JsonNode r, String field) {
        return r.hasNonNull(field) ? r.get(field).asText() : null;
    }

    /** @return "FILE:LINE:COLUMN: message", at the pointer's position (of its closest parent that has one) */
    String problem(String pointer, String message) {
        int[] lc = where == null ? new int[] {1, 1} : where.of(pointer);
        return source + ":" + lc[0] + ":" + lc[1] + ": " + message;
    }

    List<Entry> entries() {
        return entries;
    }

    /** @return what is wrong with the manifest itself (syntax, schema, duplicate names) */
    List<String> problems() {
        return problems;
    }

    /** @return false when it could not be read as a manifest at all (the catalogue then stays as it was) */
    boolean usable() {
        return usable;
    }

    static Schema schema(String resource) {
        var url = Manifest.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " missing from the bundle (docs/formats is copied in)");
        }
        try (InputStream in = url.openStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text,
                    InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
