package io.harmonix.fleet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * {@code data/fleet/ORG_REPO_INDEX.json} (docs/formats/org-repo-index.schema.json) and {@code ORG_REPO_INDEX.md}
 * (the same as a table people read), each written whole or not at all: a temporary file in the same folder,
 * forced to disk, moved over the old one atomically, then the folder forced so that the move itself survives a
 * crash. A reader never sees half a file.
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
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
