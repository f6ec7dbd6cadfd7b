package io.harmonix.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader (RFC 8259) for the launcher's feature files: objects as {@link Map}s in file order, arrays as
 * {@link List}s, strings, {@link Long} or {@link Double} numbers, booleans and null.
 *
 * <p>Why not Jackson: the launcher reads a dozen small files before Felix starts, and Jackson's first use in a JVM
 * (its classes loaded and linked, an {@code ObjectMapper} built) was about a tenth of the time to the first
 * answered command of an exec start with the core feature. The bundles keep Jackson; this reader is only the
 * launcher's.
 */
final class Json {
    /** Deeper than any feature file: past it a hostile file would end the launcher with a StackOverflowError. */
    static final int MAX_DEPTH = 100;
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
            "-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"); // RFC 8259, section 6
    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /**
     * @return the one value of {@code text}
     * @throws IllegalArgumentException saying where (line and column) and what was expected
     */
    static Object parse(String text) {
        Json json = new Json(text);
        if (text.startsWith("\uFEFF")) {
            json.pos = 1; // a byte order mark, which editors on some systems write (RFC 8259 lets a reader skip it)
        }
        json.space();
        Object value = json.value();
        json.space();
        if (json.pos < text.length()) {
            throw json.error("expected the end of the text after the value");
        }
        return value;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("expected a value, found the end of the text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("expected a value, found '" + c + "'");
            }
        };
    }

    private void deeper() {
        if (++depth > MAX_DEPTH) {
            throw error("expected at most " + MAX_DEPTH + " nested objects and arrays");
        }
    }

    private Map<String, Object> object() {
        deeper();
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        space();
        if (peek('}')) {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("expected a field name in double quotes");
            }
            String key = string();
            space();
            expect(':');
            space();
            map.put(key, value());
            space();
            if (peek(',')) {
                pos++;
            } else {
                expect('}');
                depth--;
                return map;
            }
        }
    }

    private List<Object> array() {
        deeper();
        List<Object> list = new ArrayList<>();
        pos++;
        space();
        if (peek(']')) {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            space();
            list.add(value());
            space();
            if (peek(',')) {
                pos++;
            } else {
                expect(']');
                depth--;
                return list;
            }
        }
    }

    private String string() {
        pos++; // the opening quote
        StringBuilder s = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("expected the closing double quote of a string, found the end of the text");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return s.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("expected an escaped control character in a string (\\n, \\t, \\u0000...)");
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("expected an escape sequence, found the end of the text");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int i = 0; i < 4; i++) { // digits only: Integer.parseInt would take "+041" or "-041"
                        int digit = pos + i < text.length() ? Character.digit(text.charAt(pos + i), 16) : -1;
                        if (digit < 0) {
                            throw error("expected four hexadecimal digits after \\u");
                        }
                        code = code * 16 + digit;
                    }
                    s.append((char) code);
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("expected an escape sequence (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t, \\uXXXX)");
                }
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        boolean integral = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
            } else if (c < '0' || c > '9') {
                break;
            }
            pos++;
        }
        String n = text.substring(start, pos);
        if (!NUMBER.matcher(n).matches()) {
            pos = start;
            throw error("expected a number (as -12, 0.5 or 1e3), found '" + n + "'");
        }
        try {
            Object value = integral ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
            if (value instanceof Double d && d.isInfinite()) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a number within " + (integral ? "a long" : "a double") + "'s range, found '" + n
                    + "'");
        }
    }

    private Object word(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value (" + word + "?)");
        }
        pos += word.length();
        return value;
    }

    private void space() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'" + (pos < text.length() ? ", found '" + text.charAt(pos) + "'"
                    : ", found the end of the text"));
        }
        pos++;
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("line " + line + ", column " + column + ": " + what);
    }
}
