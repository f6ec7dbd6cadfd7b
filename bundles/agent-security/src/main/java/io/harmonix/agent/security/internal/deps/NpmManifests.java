package io.harmonix.agent.security.internal.deps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.semver4j.Range;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * The dependencies of npm manifests. A lockfile gives the versions installed: v2/v3 {@code "packages"} entries
 * ({@code "node_modules/a/node_modules/b"} is package {@code b}), v1 nested {@code "dependencies"}. A package.json
 * alone gives ranges: the lowest version a range allows is checked, and the finding says so (an install may
 * well get a higher one). Lines are found by the entry's key in the text: in a lockfile, the first place it occurs after
 * the entry before it (entries are read in the order they are written), in a package.json, the first place after its
 * section's name; the text's line starts are computed once, so a lockfile of many thousand entries costs one pass.
 */
public final class NpmManifests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NpmManifests() {
    }

    /** @return the dependencies of {@code file} (a package-lock.json or package.json), relative to {@code root} */
    public static List<Dependency> dependencies(Path root, String file) throws IOException {
        String text = Files.readString(root.resolve(file));
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // the parser quotes the text it choked on, which may be a secret: the reason is given without quotes
            throw new IOException(file + ": not JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + Quotes.without(e.getOriginalMessage()));
        }
        List<Dependency> out = new ArrayList<>();
        if (json == null || !json.isObject()) {
            return out;
        }
        Lines lines = new Lines(text);
        if (file.endsWith("package-lock.json") || file.endsWith("npm-shrinkwrap.json")) {
            if (json.has("packages")) {
                json.get("packages").fields().forEachRemaining(e -> {
                    String key = e.getKey();
                    int at = key.lastIndexOf("node_modules/");
                    if (at >= 0 && e.getValue().hasNonNull("version") && !e.getValue().path("link").asBoolean()) {
                        out.add(new Dependency("npm", key.substring(at + "node_modules/".length()),
                                e.getValue().get("version").asText(), "package-lock.json", file,
                                lines.next("\"" + key + "\"")));
                    }
                });
            } else {
                v1(json.path("dependencies"), lines, file, out);
            }
            return out;
        }
        for (String section : List.of("dependencies", "devDependencies", "optionalDependencies")) {
            int from = text.indexOf("\"" + section + "\"");
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () ->
                    json.path(section).fields()) {
                String range = e.getValue().asText();
                int line = lines.lineOf(text.indexOf("\"" + e.getKey() + "\"", Math.max(0, from)));
                String lowest = lowest(range);
                out.add(lowest == null
                        ? new Dependency("npm", e.getKey(), null, "range '" + range + "' names no version that "
                                + "can be checked (a tag, URL, path or alias); a package-lock.json would", file, line)
                        : new Dependency("npm", e.getKey(), lowest, "lowest version range '" + range
                                + "' allows (no package-lock.json beside it)", file, line));
            }
        }
        return out;
    }

    private static void v1(JsonNode deps, Lines lines, String file, List<Dependency> out) {
        deps.fields().forEachRemaining(e -> {
            if (e.getValue().hasNonNull("version")) {
                out.add(new Dependency("npm", e.getKey(), e.getValue().get("version").asText(),
                        "package-lock.json", file, lines.next("\"" + e.getKey() + "\"")));
            }
            v1(e.getValue().path("dependencies"), lines, file, out);
        });
    }

    /**
     * @return the lowest version {@code range} allows, or null when it is not a semver range: each bound of the
     *     range (and {@code 0.0.0}, and the version just past each exclusive bound) is a candidate, and the least
     *     one the whole range accepts is the answer
     */
    static String lowest(String range) {
        RangesList ranges;
        try {
            // a dist-tag (latest, next), a URL, a path, git or an alias (npm:other@1) names no version
            if (range.isBlank() || range.contains(":") || range.contains("/") || range.strip().matches("[A-Za-z]"
                    + "[\\w.-]*") && !range.strip().matches("[xX]")) {
                return null;
            }
            ranges = RangesListFactory.create(range.strip());
        } catch (RuntimeException e) {
            return null;
        }
        List<Semver> candidates = new ArrayList<>(List.of(Semver.ZERO));
        for (List<Range> and : ranges.get()) {
            for (Range r : and) {
                candidates.add(r.getRangeVersion());
                candidates.add(r.getRangeVersion().withIncPatch());
            }
        }
        if (ranges.get().isEmpty()) {
            return null;
        }
        return candidates.stream().filter(ranges::isSatisfiedBy).min(Comparator.naturalOrder())
                .map(Semver::getVersion).orElse(null);
    }

    /** A text's lines, their starts computed once; and where in the text the entries read so far were found. */
    private static final class Lines {
        private final String text;
        private final int[] starts;
        private int cursor;

        Lines(String text) {
            this.text = text;
            int[] s = new int[64];
            int n = 0;
            s[n++] = 0;
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
                if (n == s.length) {
                    s = Arrays.copyOf(s, n * 2);
                }
                s[n++] = i + 1;
            }
            this.starts = Arrays.copyOf(s, n);
        }

        /** @return the line (from 1) of offset {@code at}; 1 when it is negative (not found) */
        int lineOf(int at) {
            if (at < 0) {
                return 1;
            }
            int i = Arrays.binarySearch(starts, at);
            return (i >= 0 ? i : -i - 2) + 1;
        }

        /**
         * @return the line of the first place {@code needle} occurs after the entry found before (entries are read in
         *     the order they are written, so an entry's key is never before its predecessor's); from the start of the
         *     text when it is not there
         */
        int next(String needle) {
            int at = text.indexOf(needle, cursor);
            if (at < 0) {
                at = text.indexOf(needle);
            } else {
                cursor = at + needle.length();
            }
            return lineOf(at);
        }
    }
}
