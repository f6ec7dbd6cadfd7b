package io.harmonix.fleet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.config.api.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code data/fleet/ORG_REPO_INDEX.json} (docs/formats/org-repo-index.schema.json) and {@code ORG_REPO_INDEX.md}
 * (the same as a table people read), each written whole or not at all ({@link AtomicFiles}): a reader never sees
 * half a file.
 */
final class IndexFiles {
    static final String JSON_NAME = "ORG_REPO_INDEX.json";
    static final String MD_NAME = "ORG_REPO_INDEX.md";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IndexFiles() {
    }

    static void write(Path folder, List<Known> catalogue, Instant discoveredAt) throws IOException {
        Files.createDirectories(folder);
        ObjectNode root = JSON.createObjectNode().put("discovered_at", discoveredAt.toString());
        ArrayNode repos = root.putArray("repositories");
        catalogue.forEach(k -> repos.add(FleetJson.repository(k)));
        atomically(folder.resolve(JSON_NAME), JSON.writeValueAsString(root) + "\n");
        atomically(folder.resolve(MD_NAME), markdown(catalogue, discoveredAt));
    }

    static String markdown(List<Known> catalogue, Instant discoveredAt) {
        StringBuilder md = new StringBuilder("# Fleet repositories\n\nDiscovered ").append(discoveredAt)
                .append(": ").append(catalogue.size()).append(" repositories, ")
                .append(catalogue.stream().filter(k -> !k.repository().healthy()).count())
                .append(" with a problem.\n\n")
                .append("| name | language | build | test | dependencies | head | origin | problem |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Known k : catalogue) {
            var r = k.repository();
            md.append("| ").append(cell(r.name())).append(" | ").append(cell(r.language())).append(" | ")
                    .append(code(r.buildCommand())).append(" | ").append(code(r.testCommand())).append(" | ")
                    .append(cell(String.join(", ", r.dependencies()))).append(" | ")
                    .append(k.head() == null ? "" : k.head().substring(0, 12)).append(" | ")
                    .append(cell(r.origin())).append(" | ").append(cell(r.problem())).append(" |\n");
        }
        return md.toString();
    }

    private static String code(String command) {
        return command == null ? "" : "`" + cell(command).replace("`", "'") + "`";
    }

    /** A table cell: no line break, no bare pipe. */
    private static String cell(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ");
    }

    static void atomically(Path target, String text) throws IOException {
        AtomicFiles.write(target, text);
    }
}
