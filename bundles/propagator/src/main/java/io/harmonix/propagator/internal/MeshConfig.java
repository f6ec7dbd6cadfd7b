package io.harmonix.propagator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.config.api.SourcePositions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code etc/registry.json} (endpoints and peers) with {@code etc/pulse.json} (their secrets), read and checked
 * together: JSON syntax, the JSON Schemas of docs/formats (each error with the file, line, column and field), then
 * what a schema cannot say (unique ids, named secrets present, pulse.json not readable by others, schedules).
 * Secret values never appear in a problem's text.
 */
final class MeshConfig {
    static final MeshConfig EMPTY = new MeshConfig(List.of(), Map.of(), Map.of());
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The schemas, compiled at the first file that needs checking: compiling them loads the JSON Schema library
     * (a good part of the propagator's start), which a registry that lists nothing does not need.
     */
    static final class Schemas {
        static final Schema REGISTRY = schema("registry.schema.json");
        static final Schema PULSE = schema("pulse.schema.json");

        private Schemas() {
        }
    }
    static final List<String> EVENTS = List.of("cycle.ok", "cycle.partial", "cycle.failed");
    static final double DEFAULT_RATE = 20;

    /** A peer whose signed cycles the ingest endpoint accepts. */
    record Peer(String id, String namespace, String secret) {
    }

    /** The signing keys (several during a rotation) and optional bearer token of one name in pulse.json. */
    record Secret(List<byte[]> keys, String token) {
    }

    final List<Endpoint> endpoints;
    final Map<String, Peer> peers;
    final Map<String, Secret> secrets;

    private MeshConfig(List<Endpoint> endpoints, Map<String, Peer> peers, Map<String, Secret> secrets) {
        this.endpoints = List.copyOf(endpoints);
        this.peers = Map.copyOf(peers);
        this.secrets = Map.copyOf(secrets);
    }

    Endpoint endpoint(String id) {
        return endpoints.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
    }

    /** Thrown with every problem found; the texts name file, line, column and field, never a secret. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }
    }

    /**
     * @param localNamespace an endpoint's namespaces when it names none
     * @param scheduleOf the schedule text of an endpoint id (from the configuration)
     */
    static MeshConfig load(Path registryFile, Path pulseFile, String localNamespace,
            Function<String, String> scheduleOf) throws Invalid {
        List<String> problems = new ArrayList<>();
        JsonNode registry = read(registryFile, () -> Schemas.REGISTRY, false, problems, tree -> { });
        Set<String> secretValues = new HashSet<>();
        JsonNode pulse = null;
        if (Files.exists(pulseFile)) {
            checkPrivate(pulseFile, problems);
            pulse = readSecretFile(pulseFile, secretValues, problems);
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        Map<String, Secret> secrets = new LinkedHashMap<>();
        if (pulse != null) {
            pulse.get("secrets").fields().forEachRemaining(e -> {
                List<byte[]> keys = new ArrayList<>();
                int i = 0;
                for (JsonNode s : e.getValue().get("signing")) {
                    try {
                        keys.add(Webhooks.key(s.asText()));
                    } catch (IllegalArgumentException x) {
                        problems.add(pulseFile + ": /secrets/" + e.getKey() + "/signing/" + i + ": " + x.getMessage());
                    }
                    i++;
                }
                JsonNode token = e.getValue().get("token");
                secrets.put(e.getKey(), new Secret(keys, token == null ? null : token.asText()));
            });
        }
        List<Endpoint> endpoints = new ArrayList<>();
        Map<String, Peer> peers = new LinkedHashMap<>();
        if (registry != null) {
            SourcePositions where = locations(registryFile);
            int i = 0;
            for (JsonNode e : registry.path("endpoints")) {
                String at = registryFile + " " + where.at("/endpoints/" + i);
                String id = e.get("id").asText();
                if (endpoints.stream().anyMatch(x -> x.id().equals(id))) {
                    problems.add(at + ": /endpoints/" + i + "/id: '" + id + "' is already the id of another endpoint");
                }
                String secret = e.get("secret").asText();
                if (!secrets.containsKey(secret)) {
                    problems.add(at + ": /endpoints/" + i + "/secret: '" + secret + "' is not a name in " + pulseFile
                            + (pulse == null ? " (missing)" : ""));
                }
                String schedule = scheduleOf.apply(id);
                try {
                    schedule = Schedule.parse(schedule).toString();
                } catch (IllegalArgumentException x) {
                    problems.add("configuration io.harmonix.propagator: schedule." + id + " = " + x.getMessage());
                }
                JsonNode rate = e.path("rateLimit");
                double perSecond = rate.path("perSecond").asDouble(DEFAULT_RATE);
                int burst = rate.path("burst").asInt((int) Math.ceil(perSecond));
                endpoints.add(new Endpoint(id, e.get("url").asText(),
                        strings(e.get("namespaces"), List.of(localNamespace)), strings(e.get("runs"), List.of("*")),
                        strings(e.get("events"), EVENTS), e.path("enabled").asBoolean(true), perSecond, burst,
                        secret, schedule));
                i++;
            }
            i = 0;
            for (JsonNode p : registry.path("peers")) {
                String at = registryFile + " " + where.at("/peers/" + i);
                String id = p.get("id").asText();
                if (peers.containsKey(id)) {
                    problems.add(at + ": /peers/" + i + "/id: '" + id + "' is already the id of another peer");
                }
                String secret = p.get("secret").asText();
                if (!secrets.containsKey(secret)) {
                    problems.add(at + ": /peers/" + i + "/secret: '" + secret + "' is not a name in " + pulseFile
                            + (pulse == null ? " (missing)" : ""));
                }
                String ns = p.hasNonNull("namespace") ? p.get("namespace").asText() : id;
                if (ns.equals(localNamespace)) {
                    problems.add(at + ": /peers/" + i + "/namespace: '" + ns + "' is this runtime's own namespace");
                }
                peers.put(id, new Peer(id, ns, secret));
                i++;
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems.stream().map(p -> scrub(p, secretValues)).toList());
        }
        return new MeshConfig(endpoints, peers, secrets);
    }

    private static List<String> strings(JsonNode array, List<String> fallback) {
        if (array == null || array.isNull()) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A secrets file readable by group or others is refused: anyone on the machine could sign as us. */
    private static void checkPrivate(Path file, List<String> problems) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                problems.add(file + ": readable by other users (" + java.nio.file.attribute.PosixFilePermissions
                        .toString(perms) + "); refused: it holds secrets. Make it private: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            problems.add(file + ": cannot read its permissions: " + e.getMessage());
        }
    }

    /**
     * Reads pulse.json, remembering every string in it so that no problem text can repeat one: a problem with the
     * file says where and what kind, never what is written there (the log and {@code propagate:endpoints} show
     * problems; a parser's message quotes the token it stopped at, which may be a secret).
     */
    private static JsonNode readSecretFile(Path file, Set<String> values, List<String> problems) {
        List<String> found = new ArrayList<>();
        // every string once it parses, also when the schema then refuses the file: a schema message may quote one
        JsonNode node = read(file, () -> Schemas.PULSE, true, found, tree -> collectStrings(tree, values));
        found.forEach(p -> problems.add(scrub(p, values)));
        return node;
    }

    /**
     * @return every string value of at least 4 characters in the secrets file (what {@link #load} keeps out of its
     *     problem texts), for the {@link PulseMasker}; empty when the file is missing
     * @throws IOException when it cannot be read or is not JSON (without quoting it)
     */
    static Set<String> secretStrings(Path pulseFile) throws IOException {
        if (!Files.exists(pulseFile)) {
            return Set.of();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readString(pulseFile, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(pulseFile + ": not valid JSON: " + kindOnly(e.getOriginalMessage()));
        }
        Set<String> values = new HashSet<>();
        collectStrings(tree, values);
        return Set.copyOf(values);
    }

    private static void collectStrings(JsonNode node, Set<String> into) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && node.asText().length() >= 4) {
            into.add(node.asText());
        }
        node.forEach(n -> collectStrings(n, into));
    }

    private static String scrub(String text, Set<String> secrets) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }

    /**
     * @param secret whether the file holds secrets: a syntax error then gives its position and kind only
     * @param parsed given the tree as soon as the text parses, before the schema is checked
     * @return the file's tree when it is valid JSON and matches the schema, else null with the problems added
     */
    private static JsonNode read(Path file, Supplier<Schema> schema, boolean secret, List<String> problems,
            Consumer<JsonNode> parsed) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e.getMessage());
            return null;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var loc = e.getLocation();
            String what = secret ? kindOnly(e.getOriginalMessage()) : e.getOriginalMessage();
            problems.add(file + (loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                    + ": not valid JSON: " + what);
            return null;
        }
        if (tree == null || tree.isMissingNode()) {
            problems.add(file + " line 1, column 1: empty; expected a JSON object");
            return null;
        }
        parsed.accept(tree);
        if (listsNothing(tree)) {
            return tree; // what the distribution ships: valid under the schema, no need to compile it
        }
        List<Error> errors = schema.get().validate(tree);
        if (errors.isEmpty()) {
            return tree;
        }
        SourcePositions where;
        try {
            where = new SourcePositions(new com.fasterxml.jackson.core.JsonFactory().createParser(text));
        } catch (IOException e) {
            throw new IllegalStateException(e); // it parsed above
        }
        for (Error err : errors) {
            String pointer = err.getInstanceLocation().toString();
            // "required" and "additionalProperties" are reported on the object; name the property itself
            String field = err.getProperty() != null && ("required".equals(err.getKeyword())
                    || "additionalProperties".equals(err.getKeyword())) ? pointer + "/" + err.getProperty() : pointer;
            problems.add(file + " " + where.at(field) + ": " + field + ": " + message(err));
        }
        return null;
    }

    /**
     * @return the kind of a parser's error without what it quotes ("Unrecognized token 'whsec_...': was expecting
     *         ..." gives "Unrecognized token"): everything from the first quote, bracket or colon on is dropped
     */
    static String kindOnly(String parserMessage) {
        String m = parserMessage == null ? "" : parserMessage;
        int cut = m.length();
        for (char c : new char[] {'\'', '"', '(', '[', ':', '`'}) {
            int at = m.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        String kind = m.substring(0, cut).trim();
        return (kind.isEmpty() ? "a syntax error" : kind) + " (the file holds secrets: its text is not shown)";
    }

    private static String message(Error err) {
        String m = err.getMessage();
        String loc = err.getInstanceLocation().toString();
        // the library's message may start with the location again
        return m.startsWith(loc + ": ") ? m.substring(loc.length() + 2) : m;
    }

    private static SourcePositions locations(Path file) {
        try {
            return new SourcePositions(new com.fasterxml.jackson.core.JsonFactory()
                    .createParser(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a file is an object of empty lists only: {"endpoints": [], "peers": []}, or {}. */
    static boolean listsNothing(JsonNode tree) {
        if (!tree.isObject()) {
            return false;
        }
        for (var fields = tree.fields(); fields.hasNext(); ) {
            var f = fields.next();
            if (!(f.getKey().equals("endpoints") || f.getKey().equals("peers")) || !f.getValue().isArray()
                    || !f.getValue().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static Schema schema(String name) {
        try (InputStream in = MeshConfig.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("schema " + name + " missing from the bundle");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
