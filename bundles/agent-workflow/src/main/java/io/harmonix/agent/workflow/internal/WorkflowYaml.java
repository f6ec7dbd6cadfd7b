package io.harmonix.agent.workflow.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workflow definition as written: its tasks, their dependencies and timeouts, each with the place in the text the
 * YAML parser reports, so that a change can be made by editing the text there (comments and layout kept) instead of
 * writing the whole file again. What the definition means is the workflow bundle's business (its validator); this
 * reads only what the agent looks at.
 *
 * @param file the file, relative to the target's root
 * @param text the text as read
 * @param name the workflow's name
 * @param version its version, as written ({@code 1.0} and {@code "1.0"} are the same)
 * @param nameAt where the name is
 * @param tasks its tasks, in the order written
 */
record WorkflowYaml(String file, String text, String name, String version, Span nameAt, Map<String, Task> tasks) {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final ObjectMapper YAML = new ObjectMapper(FACTORY);
    /** {@code tasks.a}, {@code tasks?.a}, {@code tasks['a']}, {@code tasks["a"]}: a reference to task a. */
    private static final Pattern TASK_REF = Pattern.compile("\\btasks\\s*\\??\\s*(?:\\.\\s*|\\[\\s*['\"])"
            + "([A-Za-z0-9_]+)");

    /**
     * A place in the text, 1-based lines and columns as the parser reports them (columns count code points).
     *
     * @param line first line
     * @param column first column
     * @param endLine line of the end
     * @param endColumn column just after the end
     */
    record Span(int line, int column, int endLine, int endColumn) {
    }

    /**
     * A task's {@code depends_on} entry.
     *
     * @param task the task depended on
     * @param at where the entry is written (with its quotes, if any)
     */
    record Dep(String task, Span at) {
    }

    /**
     * A task, as far as the agent needs it.
     *
     * @param id its id
     * @param at where its key is
     * @param deps its {@code depends_on} entries, in order
     * @param depsKey where the {@code depends_on} key is, or null without one
     * @param depsValue where its value is: {@code [..]} with the brackets (flow), or from the first {@code -} to the end
     *     of the last entry (block)
     * @param flowDeps true when the value is written {@code [a, b]}
     * @param timeout the timeout as written, or null
     * @param timeoutAt where its value is, or null
     * @param retryAt where the {@code retry} key is, or null
     * @param reads the tasks its expressions refer to ({@code tasks.X...})
     * @param loop true for a {@code for_each} or {@code repeat} task (its timeout is per item or iteration)
     * @param conditional true when its start depends on more than its dependencies ending: {@code when}, or a
     *     {@code join} other than all
     * @param compensation true for a compensation task (it may read any task)
     */
    record Task(String id, Span at, List<Dep> deps, Span depsKey, Span depsValue, boolean flowDeps, String timeout,
            Span timeoutAt, Span retryAt, Set<String> reads, boolean loop, boolean conditional,
            boolean compensation) {
        List<String> depIds() {
            return deps.stream().map(Dep::task).toList();
        }
    }

    /**
     * @return the definition, or empty when the text is YAML but not a workflow definition (no {@code name} and
     *     {@code tasks} mapping at its top)
     * @throws IOException when it is not YAML; the message says where the parser stopped
     */
    static Optional<WorkflowYaml> parse(String file, String text) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("name").isValueNode() || !root.path("tasks").isObject()) {
            return Optional.empty();
        }
        Map<String, Span> where = positions(text);
        Map<String, Task> tasks = new LinkedHashMap<>();
        root.get("tasks").fields().forEachRemaining(e -> tasks.put(e.getKey(),
                task(e.getKey(), e.getValue(), "/tasks/" + pointerEscape(e.getKey()), where)));
        return Optional.of(new WorkflowYaml(file, text, root.get("name").asText(), root.path("version").asText(""),
                where.getOrDefault("/name", new Span(1, 1, 1, 1)), tasks));
    }

    private static Task task(String id, JsonNode t, String at, Map<String, Span> where) {
        List<Dep> deps = new ArrayList<>();
        JsonNode d = t.path("depends_on");
        for (int i = 0; i < d.size(); i++) {
            deps.add(new Dep(d.get(i).asText(), where.get(at + "/depends_on/" + i)));
        }
        Set<String> reads = new LinkedHashSet<>();
        t.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("depends_on")) {
                references(f.getValue(), reads);
            }
        });
        Span value = where.get(at + "/depends_on#value");
        boolean flow = value != null && d.isArray() && where.containsKey(at + "/depends_on#flow");
        return new Task(id, where.get(at), List.copyOf(deps), where.get(at + "/depends_on"), value, flow,
                t.hasNonNull("timeout") ? t.get("timeout").asText() : null, where.get(at + "/timeout#value"),
                where.get(at + "/retry"), Set.copyOf(reads), t.has("for_each") || t.has("repeat"),
                t.has("when") || !t.path("join").asText("all").equals("all"), t.path("compensation").asBoolean());
    }

    /** Adds every task named in the string values under {@code node} (expressions or text holding them). */
    private static void references(JsonNode node, Set<String> into) {
        if (node.isTextual()) {
            Matcher m = TASK_REF.matcher(node.asText());
            while (m.find()) {
                into.add(m.group(1));
            }
        } else if (node.isContainerNode()) {
            node.forEach(n -> references(n, into));
        }
    }

    /**
     * Where each field and value is, by JSON Pointer: the pointer itself is the key of a field (or the entry of a
     * sequence); {@code pointer#value} is a field's whole value (a sequence from its opening to its closing token);
     * {@code pointer#flow} is there when the sequence is written in brackets.
     */
    private static Map<String, Span> positions(String text) throws IOException {
        Map<String, Span> where = new HashMap<>();
        Map<String, JsonLocation> opened = new HashMap<>();
        Span lastValue = new Span(1, 1, 1, 1); // a block sequence ends where its last scalar does
        try (JsonParser p = FACTORY.createParser(text)) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                JsonLocation start = p.currentTokenLocation();
                JsonLocation end = p.currentLocation();
                if (t == JsonToken.FIELD_NAME) {
                    where.put(pointer, span(start, end));
                } else if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    opened.put(pointer, start);
                    if (t == JsonToken.START_ARRAY && text.codePointAt(offset(text, start)) == '[') {
                        where.put(pointer + "#flow", span(start, end));
                    }
                } else if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
                    JsonLocation from = opened.remove(pointer);
                    if (from != null) {
                        where.put(pointer + "#value", where.containsKey(pointer + "#flow") ? span(from, end)
                                : new Span(from.getLineNr(), from.getColumnNr(), lastValue.endLine(),
                                        lastValue.endColumn()));
                    }
                } else {
                    lastValue = span(start, end);
                    where.put(pointer + "#value", lastValue);
                    if (p.getParsingContext().inArray()) {
                        where.put(pointer, lastValue);
                    }
                }
            }
        }
        return where;
    }

    private static Span span(JsonLocation start, JsonLocation end) {
        return new Span(start.getLineNr(), start.getColumnNr(), end.getLineNr(), end.getColumnNr());
    }

    private static int offset(String text, JsonLocation at) {
        return offset(text, at.getLineNr(), at.getColumnNr());
    }

    /** @return the char index of a 1-based line and code-point column */
    static int offset(String text, int line, int column) {
        int at = 0;
        for (int l = 1; l < line; l++) {
            int nl = text.indexOf('\n', at);
            if (nl < 0) {
                return text.length();
            }
            at = nl + 1;
        }
        return Math.min(text.length(), text.offsetByCodePoints(at, Math.min(column - 1,
                text.codePointCount(at, lineEnd(text, at)))));
    }

    /** @return the index of the end of the line starting at {@code at} (its line break, or the text's end) */
    static int lineEnd(String text, int at) {
        int nl = text.indexOf('\n', at);
        return nl < 0 ? text.length() : nl;
    }

    private static String pointerEscape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
