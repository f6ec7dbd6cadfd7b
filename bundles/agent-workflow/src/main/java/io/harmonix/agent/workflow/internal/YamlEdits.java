package io.harmonix.agent.workflow.internal;

import io.harmonix.agent.workflow.internal.WorkflowYaml.Dep;
import io.harmonix.agent.workflow.internal.WorkflowYaml.Span;
import io.harmonix.agent.workflow.internal.WorkflowYaml.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Changes to a definition made on its text, at the places the YAML parser reported, so that everything else (comments,
 * blank lines, indentation, quoting, key order) stays as the author wrote it. Writing the parsed tree back would lose
 * all of that.
 */
final class YamlEdits {
    /** Plain scalars YAML 1.1 reads as something else than a string: task ids that need quotes. */
    private static final Set<String> NOT_STRINGS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false",
            "null", "~");
    private static final Pattern NUMBER = Pattern.compile("[0-9][0-9_]*");

    private YamlEdits() {
    }

    /** @return the text with the task's {@code depends_on} made {@code deps} */
    static String setDeps(WorkflowYaml d, Task task, List<String> deps) {
        String text = d.text();
        Span key = task.depsKey();
        Span value = task.depsValue();
        if (deps.isEmpty()) {
            return removeField(text, key, value);
        }
        if (task.flowDeps()) {
            return replace(text, value, "[" + String.join(", ", deps.stream().map(YamlEdits::scalar).toList()) + "]");
        }
        return setBlockItems(text, task, deps);
    }

    /** @return the text with the task's timeout value replaced by {@code timeout} */
    static String setTimeout(WorkflowYaml d, Task task, String timeout) {
        return replace(d.text(), task.timeoutAt(), timeout);
    }

    /**
     * A block sequence ({@code - a} per line): the lines of entries no longer wanted go, each with its comment; new
     * entries come after the last one kept, indented as the first one was.
     */
    private static String setBlockItems(String text, Task task, List<String> deps) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        Dep first = task.deps().get(0);
        String firstLine = lines.get(first.at().line() - 1);
        int dash = firstLine.lastIndexOf('-', WorkflowYaml.offset(firstLine, 1, first.at().column()));
        String indent = firstLine.substring(0, Math.max(0, dash));
        String prefix = (indent.isBlank() ? indent : " ".repeat(indent.length())) + "- ";
        int insertAfter = task.deps().get(task.deps().size() - 1).at().line() - 1;
        List<Integer> drop = new ArrayList<>();
        for (Dep dep : task.deps()) {
            if (!deps.contains(dep.task())) {
                drop.add(dep.at().line() - 1);
            }
        }
        List<String> added = deps.stream().filter(t -> !task.depIds().contains(t))
                .map(t -> prefix + scalar(t)).toList();
        lines.addAll(insertAfter + 1, added);
        drop.sort(null);
        for (int i = drop.size() - 1; i >= 0; i--) {
            lines.remove((int) drop.get(i));
        }
        return String.join("\n", lines);
    }

    /**
     * Removes a field: its whole lines when the key starts its line and nothing but a comment follows the value;
     * otherwise (a field inside a {@code {...}} mapping) its value becomes {@code []}.
     */
    private static String removeField(String text, Span key, Span value) {
        int keyAt = WorkflowYaml.offset(text, key.line(), key.column());
        int lineStart = text.lastIndexOf('\n', keyAt - 1) + 1;
        int valueEnd = WorkflowYaml.offset(text, value.endLine(), value.endColumn());
        int lineEnd = WorkflowYaml.lineEnd(text, valueEnd);
        String after = text.substring(valueEnd, lineEnd).strip();
        if (text.substring(lineStart, keyAt).isBlank() && (after.isEmpty() || after.startsWith("#"))) {
            return text.substring(0, lineStart) + text.substring(Math.min(text.length(), lineEnd + 1));
        }
        return replace(text, value, "[]");
    }

    private static String replace(String text, Span at, String with) {
        int from = WorkflowYaml.offset(text, at.line(), at.column());
        int to = WorkflowYaml.offset(text, at.endLine(), at.endColumn());
        return text.substring(0, from) + with + text.substring(to);
    }

    /** @return the task id as a YAML scalar: quoted when plain it would be read as a boolean, null or number */
    static String scalar(String id) {
        return NOT_STRINGS.contains(id.toLowerCase(Locale.ROOT)) || NUMBER.matcher(id).matches()
                ? "\"" + id + "\"" : id;
    }
}
