package io.harmonix.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OSGi Feature file (the R8 Feature Service JSON format), as far as the runtime needs it: its id and its
 * bundles, each with a {@code start-order} (the bundle's start level; 1 when absent), and Harmonix's own
 * {@value #HTTP_ONLY} (the feature only serves HTTP: exec mode, which serves nothing, does not boot it).
 *
 * @param id the feature's id, {@code group:artifact:version}
 * @param bundles its bundles in file order
 * @param httpOnly whether all the feature does is serve HTTP (the metrics, the web console)
 */
public record Feature(String id, List<BundleRef> bundles, boolean httpOnly) {
    /** The top-level field that marks a feature serving HTTP only ({@code true}; absent: {@code false}). */
    public static final String HTTP_ONLY = "harmonix:http-only";

    /**
     * A bundle of a feature.
     *
     * @param groupId Maven group
     * @param artifactId Maven artifact
     * @param version Maven version
     * @param startOrder start level
     */
    public record BundleRef(String groupId, String artifactId, String version, int startOrder) {
        /** @return the bundle's path in a Maven repository layout */
        public String repositoryPath() {
            return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version
                    + ".jar";
        }

        public String id() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    /**
     * Reads a feature file.
     *
     * @throws IOException when unreadable, or with the field that is malformed
     */
    public static Feature read(Path file) throws IOException {
        Object root;
        try {
            root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not a feature file: not UTF-8 text", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": not a feature file: " + e.getMessage(), e);
        }
        Map<?, ?> fields = root instanceof Map<?, ?> object ? object : Map.of();
        if (!(fields.get("id") instanceof String id)) {
            throw new IOException(file + ": field 'id' is missing (expected \"group:artifact:version\")");
        }
        List<BundleRef> bundles = new ArrayList<>();
        List<?> list = fields.get("bundles") instanceof List<?> l ? l : List.of();
        for (int i = 0; i < list.size(); i++) {
            Object b = list.get(i);
            String where = file + ": bundles[" + i + "]";
            Map<?, ?> entry = b instanceof Map<?, ?> m ? m : Map.of();
            String ref = b instanceof String text ? text : entry.get("id") instanceof String text ? text : "";
            String[] gav = ref.split(":");
            if (gav.length != 3 || gav[0].isEmpty() || gav[1].isEmpty() || gav[2].isEmpty()) {
                throw new IOException(where + ".id = '" + ref + "': expected \"group:artifact:version\"");
            }
            Object order = entry.containsKey("start-order") ? entry.get("start-order") : (Object) 1L;
            int level = order instanceof Long n && n >= 1 && n <= Integer.MAX_VALUE ? n.intValue() : -1;
            if (level < 1) {
                throw new IOException(where + ".start-order = " + order + ": expected a whole number of at least 1");
            }
            bundles.add(new BundleRef(gav[0], gav[1], gav[2], level));
        }
        Object httpOnly = fields.containsKey(HTTP_ONLY) ? fields.get(HTTP_ONLY) : Boolean.FALSE;
        if (!(httpOnly instanceof Boolean only)) {
            throw new IOException(file + ": field '" + HTTP_ONLY + "' = " + httpOnly + ": expected true or false");
        }
        return new Feature(id, List.copyOf(bundles), only);
    }

    /** @return the short name of the feature, its artifact id */
    public String name() {
        String[] parts = id.split(":");
        return parts.length > 1 ? parts[1] : id;
    }
}
