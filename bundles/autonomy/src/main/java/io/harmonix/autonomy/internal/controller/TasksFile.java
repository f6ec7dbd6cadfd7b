package io.harmonix.autonomy.internal.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.internal.ledger.CheckedJson;
import io.harmonix.config.api.SourcePositions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A repository's {@code .harmonix/tasks.json} (schema {@code docs/formats/tasks.schema.json}): work a person asks the
 * controller to take on, as the seed's issues tagged {@code bot-task}. Each problem of the file is reported with its
 * line, column and JSON Pointer; a file with problems gives no task at all (half a list would look like the whole).
 */
final class TasksFile {
    /** Where the file is in a repository. */
    static final String PATH = ".harmonix/tasks.json";
    /** Strict (CheckedJson's): a key given twice, or anything after the document, is a problem, not dropped. */
    private static final ObjectMapper JSON = CheckedJson.JSON;
    private static final Set<String> FIELDS = Set.of("title", "type", "priority", "risk", "patch", "details");

    /**
     * One task.
     *
     * @param index its place in the list, from 0
     * @param priority 1 to 5, or 0 when the file leaves it to the scoring rules
     * @param patch a unified diff's path in the repository (the task's known fix), or null
     */
    record Task(int index, String title, ItemType type, int priority, Risk risk, String patch, String details) {
    }

    /** The file's tasks, or its problems (each {@code source:line:column: pointer: message}). */
    record Parsed(List<Task> tasks, List<String> problems) {
    }

    private TasksFile() {
    }

    static Parsed parse(String source, String text) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        SourcePositions at;
        try {
            root = JSON.readTree(text);
            at = new SourcePositions(JSON.getFactory().createParser(text));
        } catch (JsonProcessingException e) {
            var l = e.getLocation();
            problems.add(source + ":" + (l == null ? 1 : l.getLineNr()) + ":" + (l == null ? 1 : l.getColumnNr())
                    + ": not JSON: " + CheckedJson.said(e));
            return new Parsed(List.of(), problems);
        } catch (IOException e) {
            problems.add(source + ":1:1: cannot be read: " + e.getMessage());
            return new Parsed(List.of(), problems);
        }
        if (root == null || !root.isObject()) {
            problems.add(source + ":1:1: (document): expected an object {\"tasks\": [...]}");
            return new Parsed(List.of(), problems);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String n = names.next();
            if (!n.equals("tasks")) {
                problems.add(problem(source, at, "/" + n, "unknown field; expected only \"tasks\""));
            }
        }
        JsonNode list = root.get("tasks");
        if (list == null || !list.isArray()) {
            problems.add(problem(source, at, list == null ? "" : "/tasks", "expected \"tasks\": an array of tasks"));
            return new Parsed(List.of(), problems);
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Task t = task(source, at, i, list.get(i), problems);
            if (t != null) {
                tasks.add(t);
            }
        }
        return problems.isEmpty() ? new Parsed(tasks, List.of()) : new Parsed(List.of(), problems);
    }

    private static Task task(String source, SourcePositions at, int i, JsonNode n, List<String> problems) {
        String p = "/tasks/" + i;
        if (!n.isObject()) {
            problems.add(problem(source, at, p, "expected a task object {\"title\", \"type\", ...}"));
            return null;
        }
        int before = problems.size();
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(problem(source, at, p + "/" + name, "unknown field; expected one of " + FIELDS.stream()
                        .sorted().toList()));
            }
        }
        String title = text(source, at, p, n, "title", true, problems);
        if (title != null && title.isBlank()) {
            problems.add(problem(source, at, p + "/title", "must not be blank"));
        }
        String typeText = text(source, at, p, n, "type", true, problems);
        ItemType type = null;
        if (typeText != null) {
            try {
                type = ItemType.valueOf(typeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(problem(source, at, p + "/type", "expected bug, security, chore or feature; was '"
                        + typeText + "'"));
            }
        }
        int priority = 0;
        JsonNode pr = n.get("priority");
        if (pr != null) {
            if (!pr.isInt() || pr.asInt() < 1 || pr.asInt() > 5) {
                problems.add(problem(source, at, p + "/priority", "expected an integer from 1 to 5; was " + pr));
            } else {
                priority = pr.asInt();
            }
        }
        String riskText = text(source, at, p, n, "risk", false, problems);
        Risk risk = Risk.MEDIUM;
        if (riskText != null) {
            try {
                risk = Risk.valueOf(riskText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(problem(source, at, p + "/risk", "expected low, medium, high or critical; was '"
                        + riskText + "'"));
            }
        }
        String patch = text(source, at, p, n, "patch", false, problems);
        if (patch != null && (patch.startsWith("/") || patch.contains(".."))) {
            problems.add(problem(source, at, p + "/patch", "expected a path inside the repository; was '" + patch
                    + "'"));
        }
        String details = text(source, at, p, n, "details", false, problems);
        return problems.size() > before ? null
                : new Task(i, title, type, priority, risk, patch, details == null ? "" : details);
    }

    private static String text(String source, SourcePositions at, String p, JsonNode n, String field,
            boolean required, List<String> problems) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(problem(source, at, p, "missing \"" + field + "\""));
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(problem(source, at, p + "/" + field, "expected a string; was " + v));
            return null;
        }
        return v.asText();
    }

    private static String problem(String source, SourcePositions at, String pointer, String message) {
        int[] lc = at.of(pointer);
        return source + ":" + lc[0] + ":" + lc[1] + ": " + (pointer.isEmpty() ? "(document)" : pointer) + ": "
                + message;
    }
}
