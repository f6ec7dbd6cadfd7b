package io.harmonix.agent.security.internal.deps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.enhance.api.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads advisories in OSV format: a file holds one advisory or a JSON array of them. Every error names the file
 * and, for a syntax error, the line and column, for a missing or wrong field its path ({@code [2].affected[0]
 * .package.name}) and what was expected.
 */
public final class OsvReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Column widths of the store ({@link DerbyAdvisories}): longer values are refused here, with their file. */
    static final int MAX_ID = 200;
    static final int MAX_ECOSYSTEM = 64;
    static final int MAX_NAME = 500;
    private static final Set<String> EVENTS = Set.of("introduced", "fixed", "last_affected", "limit");

    private OsvReader() {
    }

    /** @return the advisories of {@code file} */
    public static List<Advisory> read(Path file) throws IOException, AdvisoryFormatException {
        String text = Files.readString(file);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AdvisoryFormatException(file + ": not JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null) {
            throw new AdvisoryFormatException(file + ": empty, expected an OSV advisory or an array of them");
        }
        List<Advisory> out = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                out.add(advisory(root.get(i), file + ": [" + i + "]"));
            }
        } else {
            out.add(advisory(root, file + ":"));
        }
        return out;
    }

    /** @return the advisory {@code node} holds; {@code where} prefixes error messages */
    public static Advisory advisory(JsonNode node, String where) throws AdvisoryFormatException {
        if (!node.isObject()) {
            throw new AdvisoryFormatException(where + " expected an OSV advisory (a JSON object), found "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String id = text(node, "id", where);
        String at = where + " advisory " + id + ":";
        if (id.length() > MAX_ID) {
            throw new AdvisoryFormatException(where + " field 'id' is " + id.length() + " characters, expected at "
                    + "most " + MAX_ID);
        }
        boolean withdrawn = node.hasNonNull("withdrawn");
        List<String> aliases = new ArrayList<>();
        node.path("aliases").forEach(a -> aliases.add(a.asText()));
        List<Advisory.Affected> affected = new ArrayList<>();
        JsonNode list = node.path("affected");
        if ((!list.isArray() || list.isEmpty()) && !withdrawn) {
            throw new AdvisoryFormatException(at + " field 'affected' missing or empty, expected an array of "
                    + "{package, ranges, versions}");
        }
        for (int i = 0; i < list.size(); i++) {
            affected.add(affected(list.get(i), at + " affected[" + i + "]"));
        }
        return new Advisory(id, aliases, node.path("summary").asText(node.path("details").asText("")),
                severity(node), affected, node.toString(), withdrawn);
    }

    private static Advisory.Affected affected(JsonNode node, String at) throws AdvisoryFormatException {
        JsonNode pkg = node.path("package");
        String ecosystem = text(pkg, "ecosystem", at + ".package");
        String name = text(pkg, "name", at + ".package");
        if (name.length() > MAX_NAME || ecosystem.length() > MAX_ECOSYSTEM) {
            throw new AdvisoryFormatException(at + ".package: ecosystem or name too long (at most " + MAX_ECOSYSTEM
                    + " and " + MAX_NAME + " characters)");
        }
        List<Advisory.Range> ranges = new ArrayList<>();
        JsonNode rs = node.path("ranges");
        for (int r = 0; r < rs.size(); r++) {
            JsonNode range = rs.get(r);
            String where = at + ".ranges[" + r + "]";
            String type = text(range, "type", where);
            List<Advisory.Event> events = new ArrayList<>();
            JsonNode es = range.path("events");
            if (!es.isArray() || es.isEmpty()) {
                throw new AdvisoryFormatException(where + ".events missing or empty, expected an array of "
                        + "{introduced|fixed|last_affected|limit: version}");
            }
            for (int e = 0; e < es.size(); e++) {
                JsonNode event = es.get(e);
                var names = event.fieldNames();
                String kind = names.hasNext() ? names.next() : "";
                if (!EVENTS.contains(kind) || !event.get(kind).isTextual()) {
                    throw new AdvisoryFormatException(where + ".events[" + e + "]: expected one of " + EVENTS
                            + " with a version string, found " + event);
                }
                events.add(new Advisory.Event(kind, event.get(kind).asText()));
            }
            ranges.add(new Advisory.Range(type, events));
        }
        List<String> versions = new ArrayList<>();
        node.path("versions").forEach(v -> versions.add(v.asText()));
        if (ranges.isEmpty() && versions.isEmpty()) {
            throw new AdvisoryFormatException(at + ": neither 'ranges' nor 'versions', expected at least one");
        }
        return new Advisory.Affected(ecosystem, name, ranges, versions);
    }

    private static String text(JsonNode node, String field, String where) throws AdvisoryFormatException {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new AdvisoryFormatException(where + " field '" + field + "' "
                    + (v.isMissingNode() ? "missing" : "is " + v) + ", expected a non-empty string");
        }
        return v.asText();
    }

    /** GitHub's {@code database_specific.severity} (MODERATE is medium), else the highest CVSS score given. */
    static Severity severity(JsonNode node) {
        String given = node.path("database_specific").path("severity").asText("");
        switch (given.toUpperCase(Locale.ROOT)) {
            case "CRITICAL": return Severity.CRITICAL;
            case "HIGH": return Severity.HIGH;
            case "MODERATE", "MEDIUM": return Severity.MEDIUM;
            case "LOW": return Severity.LOW;
            default: break;
        }
        double best = -1;
        for (JsonNode s : node.path("severity")) {
            try {
                best = Math.max(best, Double.parseDouble(s.path("score").asText()));
            } catch (NumberFormatException e) {
                // a CVSS vector, not a score: computing it is not this reader's job
            }
        }
        if (best >= 9) {
            return Severity.CRITICAL;
        } else if (best >= 7 || best < 0) {
            return Severity.HIGH;
        } else if (best >= 4) {
            return Severity.MEDIUM;
        }
        return Severity.LOW;
    }
}
