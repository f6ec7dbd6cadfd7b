package io.harmonix.workflow.internal.command.definition;

import java.io.IOException;
import picocli.CommandLine.Parameters;

/**
 * The FILE parameter of validate and deploy, as a picocli mixin: both take one workflow file and read it alike.
 * Made anew for every call.
 */
final class WorkflowFile {
    @Parameters(paramLabel = "FILE", description = "The workflow file.")
    String path;

    /** @return the file's text, or an IllegalArgumentException when there is no such file */
    String read() throws IOException {
        return DefinitionFiles.read(path);
    }
}
