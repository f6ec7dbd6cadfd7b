package io.harmonix.agent.architecture.internal.analysis;

import io.harmonix.agent.architecture.internal.graph.CodeGraph;
import io.harmonix.agent.architecture.internal.graph.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Layering rules: which packages may not depend on which. One rule per line; '#' starts a comment.
 *
 * <pre>
 * deny FROM -&gt; TO             # code in a package matching FROM may not use a package matching TO
 * deny TO from other-module    # a package matching TO may be used only inside its own module
 * </pre>
 *
 * A package pattern is dot-separated: a name matches itself, {@code *} any one name, and {@code ..} any number of
 * names (none included) where a dot may stand, at either end too. {@code io.harmonix.runner..} is runner and its
 * sub-packages, {@code io.harmonix.*.api} the api package of any direct child of io.harmonix, {@code ..internal..}
 * every package with an internal part.
 */
public final class LayeringRules {
    /** One rule, with where it was written. */
    public record Rule(String text, Pattern from, Pattern to, boolean otherModule, String source, int line) {
        /** @return true when {@code r} breaks this rule */
        boolean broken(CodeGraph graph, Reference r) {
            if (r.fromPackage().equals(r.toPackage()) || !to.matcher(r.toPackage()).matches()) {
                return false;
            }
            if (otherModule) {
                return !graph.moduleOfPackage(r.fromPackage()).equals(graph.moduleOfPackage(r.toPackage()));
            }
            return from.matcher(r.fromPackage()).matches();
        }
    }

    /** A reference that breaks a rule. */
    public record Violation(Rule rule, Reference reference) {
    }

    /** A rules text that does not parse: says where and what was expected. */
    public static final class SyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String source, int line, int column, String expected, String found) {
            super(source + ":" + line + ":" + column + ": expected " + expected + " but found "
                    + (found.isEmpty() ? "the end of the line" : "'" + found + "'"));
        }
    }

    private LayeringRules() {
    }

    /**
     * @param source where the text comes from (a file relative to the target, or the configuration's field), for
     *     error messages
     * @param lines the rules, one per line
     * @throws SyntaxException at the first line that does not parse
     */
    public static List<Rule> parse(String source, List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).stripTrailing();
            if (!text.isBlank()) {
                rules.add(new LineParser(source, i + 1, text).rule());
            }
        }
        return rules;
    }

    /** @return every reference that breaks a rule, in rule then reference order */
    public static List<Violation> check(List<Rule> rules, CodeGraph graph) {
        List<Violation> out = new ArrayList<>();
        for (Rule rule : rules) {
            for (Reference r : graph.references()) {
                if (rule.broken(graph, r)) {
                    out.add(new Violation(rule, r));
                }
            }
        }
        return out;
    }

    /** The parser of one line; columns are 1-based. */
    private static final class LineParser {
        private static final String NAME = "[\\w$]+";
        private final String source;
        private final int line;
        private final String text;
        private int pos;

        LineParser(String source, int line, String text) {
            this.source = source;
            this.line = line;
            this.text = text;
        }

        Rule rule() {
            skipSpaces();
            expectWord("deny", "'deny'");
            Pattern from = pattern();
            skipSpaces();
            if (text.startsWith("->", pos)) {
                pos += 2;
                Pattern to = pattern();
                end();
                return new Rule(text.strip(), from, to, false, source, line);
            }
            if (word().equals("from")) {
                expectWord("from", "'from'");
                expectWord("other-module", "'other-module'");
                end();
                return new Rule(text.strip(), null, from, true, source, line);
            }
            throw error("'->' or 'from other-module'");
        }

        /** pattern := ['..'] part (('.' | '..') part)* ['..'], part := NAME | '*' */
        private Pattern pattern() {
            skipSpaces();
            StringBuilder regex = new StringBuilder();
            if (text.startsWith("..", pos)) {
                pos += 2;
                regex.append("(?:" + NAME + "\\.)*");
            }
            while (true) {
                part(regex);
                if (text.startsWith("..", pos)) {
                    pos += 2;
                    if (atPartStart()) {
                        regex.append("\\.(?:" + NAME + "\\.)*");
                        continue;
                    }
                    regex.append("(?:\\." + NAME + ")*");
                    return Pattern.compile(regex.toString());
                }
                if (text.startsWith(".", pos)) {
                    pos++;
                    regex.append("\\.");
                    continue;
                }
                return Pattern.compile(regex.toString());
            }
        }

        private void part(StringBuilder regex) {
            if (text.startsWith("*", pos)) {
                pos++;
                regex.append(NAME);
                return;
            }
            int start = pos;
            while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
                pos++;
            }
            if (start == pos || !Character.isJavaIdentifierStart(text.charAt(start))) {
                pos = start;
                throw error("a package name or '*'");
            }
            regex.append(Pattern.quote(text.substring(start, pos)));
        }

        private boolean atPartStart() {
            return pos < text.length() && (text.charAt(pos) == '*'
                    || Character.isJavaIdentifierStart(text.charAt(pos)));
        }

        private void expectWord(String expected, String description) {
            skipSpaces();
            if (!word().equals(expected)) {
                throw error(description);
            }
            pos += expected.length();
        }

        /** The word at the position, without moving: letters, digits and '-'. */
        private String word() {
            int end = pos;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '-')) {
                end++;
            }
            return text.substring(pos, end);
        }

        private void end() {
            skipSpaces();
            if (pos < text.length()) {
                throw error("the end of the rule");
            }
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private SyntaxException error(String expected) {
            int end = pos;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            return new SyntaxException(source, line, pos + 1, expected, text.substring(pos, end));
        }
    }
}
