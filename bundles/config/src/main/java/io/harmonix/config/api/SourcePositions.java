package io.harmonix.config.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of every value of a JSON or YAML text, by JSON Pointer, so that an error that names a pointer
 * (a JSON Schema error, a semantic check) can also say where it is. Read once as a token stream; a field's
 * position is the position of its name.
 */
public final class SourcePositions {
    private final Map<String, int[]> positions = new HashMap<>();

    /** Reads the whole stream of {@code parser} (a JSON or YAML parser of Jackson), and closes it. */
    public SourcePositions(JsonParser parser) throws IOException {
        try (JsonParser p = parser) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                JsonStreamContext ctx = p.getParsingContext();
                // a START token has already entered its own context: its pointer is its parent's
                if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && ctx.getParent() != null) {
                    ctx = ctx.getParent();
                }
                JsonLocation at = p.currentTokenLocation();
                positions.putIfAbsent(ctx.pathAsPointer().toString(), new int[] {at.getLineNr(), at.getColumnNr()});
            }
        }
    }

    /** @return {line, column} of the pointer, or of its closest parent that has a position ({1, 1} at worst) */
    public int[] of(String pointer) {
        String p = pointer == null ? "" : pointer;
        while (true) {
            int[] lc = positions.get(p);
            if (lc != null) {
                return lc.clone();
            }
            if (p.isEmpty()) {
                return new int[] {1, 1};
            }
            p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
        }
    }

    /** @return "line L, column C" of the pointer (see {@link #of}) */
    public String at(String pointer) {
        int[] lc = of(pointer);
        return "line " + lc[0] + ", column " + lc[1];
    }
}
