package io.harmonix.autonomy.api;

/**
 * One reason a ledger file is invalid.
 *
 * @param pointer the JSON Pointer (RFC 6901) of the offending value ({@code ""} for the whole document)
 * @param line 1-based line of the value in the file, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param message what was expected and what was found
 */
public record LedgerProblem(String pointer, int line, int column, String message) {
    @Override
    public String toString() {
        return (line > 0 ? line + ":" + column + " " : "") + (pointer.isEmpty() ? "(document)" : pointer) + ": "
                + message;
    }
}
