package io.harmonix.fleet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The schemas of docs/formats, read from the source tree (their one home), with formats asserted. */
final class Schemas {
    private Schemas() {
    }

    static Path docs() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("docs/formats"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("docs/formats not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("docs");
    }

    static List<String> errors(String schema, JsonNode document) throws IOException {
        var s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(docs().resolve("formats").resolve(schema)), InputFormat.JSON);
        return s.validate(document, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true))).stream()
                .map(Error::toString).toList();
    }
}
