package io.harmonix.agent.architecture.internal.command;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parser of the DOT subset enhance:graph writes, following the DOT grammar (graphviz.org/doc/info/lang.html):
 * {@code digraph ID { stmt* }} with node statements, edge statements ({@code ->} in a digraph), attribute statements
 * and attribute lists of {@code ID = ID} pairs; IDs are names, numbers or double-quoted strings with escaped quotes;
 * {@code //} comments. Edges must join declared nodes. Used where Graphviz is not installed.
 */
final class DotCheck {
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    private DotCheck(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("//", i)) {
                i = text.indexOf('\n', i) < 0 ? text.length() : text.indexOf('\n', i);
            } else if (c == '"') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != '"') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= text.length()) {
                    throw new AssertionError("unterminated string at " + i);
                }
                tokens.add(text.substring(i, j + 1));
                i = j + 1;
            } else if (text.startsWith("->", i)) {
                tokens.add("->");
                i += 2;
            } else if ("{}[];,=".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                int j = i;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_'
                        || text.charAt(j) == '.')) {
                    j++;
                }
                tokens.add(text.substring(i, j));
                i = j;
            } else {
                throw new AssertionError("unexpected '" + c + "' at " + i);
            }
        }
    }

    /** @throws AssertionError saying what is wrong when {@code text} is not a valid DOT digraph */
    static void parse(String text) {
        new DotCheck(text).graph();
    }

    private void graph() {
        expect("digraph");
        id();
        expect("{");
        Set<String> nodes = new HashSet<>();
        while (!peek().equals("}")) {
            String first = peek();
            if (first.equals("node") || first.equals("edge") || first.equals("graph")) {
                pos++;
                attributes();
            } else {
                String from = id();
                if (peek().equals("=")) {
                    pos++;
                    id();
                } else if (peek().equals("->")) {
                    pos++;
                    String to = id();
                    if (!nodes.contains(from) || !nodes.contains(to)) {
                        throw new AssertionError("edge " + from + " -> " + to + " joins an undeclared node");
                    }
                    attributes();
                } else {
                    nodes.add(from);
                    attributes();
                }
            }
            expect(";");
        }
        expect("}");
        if (pos != tokens.size()) {
            throw new AssertionError("text after the graph: " + tokens.subList(pos, tokens.size()));
        }
    }

    private void attributes() {
        if (!peek().equals("[")) {
            return;
        }
        pos++;
        while (!peek().equals("]")) {
            id();
            expect("=");
            id();
            if (peek().equals(",") || peek().equals(";")) {
                pos++;
            }
        }
        pos++;
    }

    private String id() {
        String t = peek();
        if (t.startsWith("\"") || Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_') {
            pos++;
            return t;
        }
        throw new AssertionError("expected an ID at token " + pos + " but found '" + t + "'");
    }

    private void expect(String t) {
        if (!peek().equals(t)) {
            throw new AssertionError("expected '" + t + "' at token " + pos + " but found '" + peek() + "'");
        }
        pos++;
    }

    private String peek() {
        if (pos >= tokens.size()) {
            throw new AssertionError("unexpected end of the graph");
        }
        return tokens.get(pos);
    }
}
