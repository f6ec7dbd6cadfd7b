package io.harmonix.workflow.api;

/**
 * A problem found in a workflow definition.
 *
 * @param source the file (or other origin) of the definition
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param pointer JSON Pointer of the field ("" for the whole definition)
 * @param message what is wrong and what was expected
 */
public record Problem(String source, int line, int column, String pointer, String message) {
    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line + ":" + column : "") + ": " + (pointer.isEmpty() ? "/" : pointer)
                + ": " + message;
    }
}
