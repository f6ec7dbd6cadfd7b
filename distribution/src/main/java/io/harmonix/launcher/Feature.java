package io.harmonix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OSGi Feature file (the R8 Feature Service JSON format), as far as the runtime needs it: its id and its
 * bundles, each with a {@code start-order} (the bundle's start level; 1 when absent).
 *
 * @param id the feature's id, {@code group:artifact:version}
 * @param bundles its bundles in file order
 */
public record Feature(String id, List<BundleRef> bundles) {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a feature file: " + e.getMessage(), e);
        }
        if (root == null || !root.path("id").isTextual()) {
            throw new IOException(file + ": field 'id' is missing (expected \"group:artifact:version\")");
        }
        List<BundleRef> bundles = new ArrayList<>();
        JsonNode list = root.path("bundles");
        for (int i = 0; i < list.size(); i++) {
            JsonNode b = list.get(i);
            String where = file + ": bundles[" + i + "]";
            String id = b.isTextual() ? b.asText() : b.path("id").asText("");
            String[] gav = id.split(":");
            if (gav.length != 3 || gav[0].isEmpty() || gav[1].isEmpty() || gav[2].isEmpty()) {
                throw new IOException(where + ".id = '" + id + "': expected \"group:artifact:version\"");
            }
            JsonNode order = b.path("start-order");
            int level = order.isMissingNode() ? 1 : order.asInt(-1);
            if (level < 1) {
                throw new IOException(where + ".start-order = " + order + ": expected a whole number of at least 1");
            }
            bundles.add(new BundleRef(gav[0], gav[1], gav[2], level));
        }
        return new Feature(root.get("id").asText(), List.copyOf(bundles));
    }

    /** @return the short name of the feature, its artifact id */
    public String name() {
        String[] parts = id.split(":");
        return parts.length > 1 ? parts[1] : id;
    }
}
