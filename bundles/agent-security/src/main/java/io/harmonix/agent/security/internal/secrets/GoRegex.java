package io.harmonix.agent.security.internal.secrets;

import java.util.Map;

/**
 * Rewrites a Go (RE2) regular expression of the gitleaks rule set into one {@link java.util.regex.Pattern} reads
 * the same way. gitleaks ships its rules for Go; Java refuses or misreads a few of its constructs:
 * <ul>
 * <li>a {@code {} that does not start a repetition is a literal in Go and an "illegal repetition" in Java: escaped;
 * <li>{@code (?P<name>...)}: Java spells it {@code (?<name>...)}, and its group names are letters and digits only
 * ({@code key_ops} becomes {@code keyops});
 * <li>inside a character class, Go takes {@code [} and {@code &&} literally, Java as a union and an intersection:
 * escaped; POSIX classes {@code [:alnum:]} become {@code \p{Alnum}}.
 * </ul>
 * Everything else (flags, {@code \z}, {@code \Q...\E}, counted repetitions) means the same in both.
 */
public final class GoRegex {
    private static final Map<String, String> POSIX = Map.ofEntries(Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"), Map.entry("blank", "\\p{Blank}"),
            Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"), Map.entry("graph", "\\p{Graph}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"), Map.entry("word", "\\w"),
            Map.entry("xdigit", "\\p{XDigit}"));

    private GoRegex() {
    }

    /** @return {@code go} rewritten for Java's {@link java.util.regex.Pattern} */
    public static String toJava(String go) {
        StringBuilder out = new StringBuilder(go.length() + 8);
        boolean inClass = false;
        int i = 0;
        while (i < go.length()) {
            char c = go.charAt(i);
            if (c == '\\' && i + 1 < go.length()) {
                out.append(c).append(go.charAt(i + 1));
                i += 2;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                    out.append(c);
                    i++;
                } else {
                    i = classChar(go, i, out);
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                i++;
                // a ']' (after an optional '^') right at the start is a literal in both dialects
                if (i < go.length() && go.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < go.length() && go.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '{' && !repetition(go, i)) {
                out.append("\\{");
                i++;
                continue;
            }
            if (go.startsWith("(?P<", i)) {
                int end = go.indexOf('>', i);
                out.append("(?<").append(go.substring(i + 4, end).replaceAll("[^A-Za-z0-9]", "")).append('>');
                i = end + 1;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** @return the Java name of a Go group name (letters and digits only) */
    public static String groupName(String go) {
        return go.replaceAll("[^A-Za-z0-9]", "");
    }

    /** Writes the class member at {@code i}; @return the index after it. */
    private static int classChar(String go, int i, StringBuilder out) {
        char c = go.charAt(i);
        if (go.startsWith("[:", i)) {
            int end = go.indexOf(":]", i + 2);
            if (end > 0) {
                String name = go.substring(i + 2, end);
                boolean negated = name.startsWith("^");
                String java = POSIX.get(negated ? name.substring(1) : name);
                if (java != null) {
                    out.append(negated ? java.replace("\\p", "\\P").replace("\\s", "\\S").replace("\\w", "\\W")
                            : java);
                    return end + 2;
                }
            }
        }
        if (c == '[' || c == '&') {
            out.append('\\').append(c);
        } else {
            out.append(c);
        }
        return i + 1;
    }

    /** @return true when the '{' at {@code i} starts {n}, {n,} or {n,m} */
    private static boolean repetition(String go, int i) {
        int j = i + 1;
        int digits = 0;
        while (j < go.length() && Character.isDigit(go.charAt(j))) {
            j++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
        if (j < go.length() && go.charAt(j) == ',') {
            j++;
            while (j < go.length() && Character.isDigit(go.charAt(j))) {
                j++;
            }
        }
        return j < go.length() && go.charAt(j) == '}';
    }
}
