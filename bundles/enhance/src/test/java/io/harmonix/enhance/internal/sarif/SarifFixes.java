package io.harmonix.enhance.internal.sarif;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a SARIF fix's replacements to a file's text as the SARIF 2.1.0 specification defines them (3.30 region,
 * 3.57 replacement), independently of how {@link SarifWriter} made them: lines and columns 1-based, a region
 * without an end column ending at the end of its end line (before its line break), replacements all relative to the
 * original text.
 */
public final class SarifFixes {
    private SarifFixes() {
    }

    /** @return {@code original} with the replacements of one {@code artifactChange} applied */
    public static String apply(String original, JsonNode artifactChange) {
        List<Integer> lineStarts = new ArrayList<>(List.of(0));
        for (int i = 0; i < original.length(); i++) {
            if (original.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
        StringBuilder out = new StringBuilder(original);
        List<JsonNode> replacements = new ArrayList<>();
        artifactChange.path("replacements").forEach(replacements::add);
        // from the last to the first, so that earlier offsets stay valid
        for (int k = replacements.size() - 1; k >= 0; k--) {
            JsonNode region = replacements.get(k).path("deletedRegion");
            int start = offset(original, lineStarts, region.path("startLine").asInt(),
                    region.path("startColumn").asInt(1));
            int endLine = region.path("endLine").asInt(region.path("startLine").asInt());
            int end = region.has("endColumn") ? offset(original, lineStarts, endLine, region.path("endColumn").asInt())
                    : lineEnd(original, lineStarts, endLine);
            if (end < start) {
                throw new IllegalArgumentException("region ends before it starts: " + region);
            }
            out.replace(start, end, replacements.get(k).path("insertedContent").path("text").asText(""));
        }
        return out.toString();
    }

    private static int offset(String text, List<Integer> lineStarts, int line, int column) {
        if (line < 1 || line > lineStarts.size()) {
            throw new IllegalArgumentException("line " + line + " is not in the file (it has " + lineStarts.size()
                    + " lines, counting the one after the last line break)");
        }
        int offset = lineStarts.get(line - 1) + column - 1;
        if (offset > lineEnd(text, lineStarts, line) + 1 || offset > text.length()) {
            throw new IllegalArgumentException("column " + column + " is past the end of line " + line);
        }
        return offset;
    }

    private static int lineEnd(String text, List<Integer> lineStarts, int line) {
        return line < lineStarts.size() ? lineStarts.get(line) - 1 : text.length();
    }
}
