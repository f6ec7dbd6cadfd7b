package io.harmonix.propagator.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of every value of a JSON text, by JSON Pointer, so that a schema error (which names a pointer)
 * can say where it is. Read once as a token stream; a field's position is the position of its name.
 */
final class JsonLocations {
    private final Map<String, long[]> positions = new HashMap<>();

    JsonLocations(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
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
                positions.putIfAbsent(ctx.pathAsPointer().toString(), new long[] {at.getLineNr(), at.getColumnNr()});
            }
        }
    }

    /** @return "line L, column C" of the pointer, or of its closest parent that has a position */
    String at(String pointer) {
        String p = pointer == null ? "" : pointer;
        while (true) {
            long[] lc = positions.get(p);
            if (lc != null) {
                return "line " + lc[0] + ", column " + lc[1];
            }
            if (p.isEmpty()) {
                return "line 1, column 1";
            }
            p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
        }
    }
}
