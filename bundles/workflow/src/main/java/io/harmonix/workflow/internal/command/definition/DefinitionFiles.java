package io.harmonix.workflow.internal.command.definition;

import io.harmonix.workflow.api.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the workflow file a command names, and says what is wrong with one. */
final class DefinitionFiles {
    private DefinitionFiles() {
    }

    static String read(String file) throws IOException {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no file " + p.toAbsolutePath());
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** @return a problem a line, each with its file, line, column and field */
    static String problemLines(List<Problem> problems) {
        return problems.stream().map(p -> p + "\n").collect(Collectors.joining());
    }
}
