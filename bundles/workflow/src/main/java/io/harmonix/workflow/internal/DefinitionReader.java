package io.harmonix.workflow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.config.api.Durations;
import io.harmonix.config.api.SourcePositions;
import io.harmonix.workflow.api.Problem;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Reads a workflow definition (YAML, or JSON, which YAML reads too) and checks it, reporting every problem at
 * once with line and column: syntax, then the JSON Schema of docs/formats/workflow.schema.json, then what a schema
 * cannot say (unknown dependencies, dependency cycles by their path, expressions that do not parse or read unknown
 * inputs or tasks or tasks not depended on, input defaults of the wrong type, compensation tasks, components and
 * actions no handler serves).
 */
final class DefinitionReader {
    /**
     * New text (validate, deploy): a key given twice is an error with its line and column; read leniently, a task
     * defined twice deployed only its second definition, silently.
     */
    private static final class Mappers {
        static final ObjectMapper STRICT_YAML = new ObjectMapper(YAMLFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
        /** Text stored before that check (deployed definitions, instances): read as it was accepted then. */
        static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    }

    /**
     * The compiled JSON Schema: compiled at the first definition read, not when the engine is made (at every start,
     * where compiling it was the workflow bundle's largest cost, for commands that read none).
     */
    private static volatile Schema compiled;

    /**
     * @return the schema, compiled at the first call that succeeds (not in a holder class: a failure there would be
     *     "Could not initialize class" at every later read, its cause told once)
     */
    private static Schema compiled() {
        Schema s = compiled;
        if (s == null) {
            synchronized (DefinitionReader.class) {
                s = compiled;
                if (s == null) {
                    s = schema();
                    compiled = s;
                }
            }
        }
        return s;
    }

    private static final Set<String> ROOTS = Set.of("input", "tasks", "item", "index", "iteration", "output");

    private final BiPredicate<String, String> handled;

    /**
     * @param handled whether some handler serves a component and action, for new text, read strictly; null for
     *     stored text (no handler check, duplicate keys read as they were when it was accepted)
     */
    DefinitionReader(BiPredicate<String, String> handled) {
        this.handled = handled;
    }

    /** @return the definition, or throws with every problem */
    Model.Workflow read(String source, String text) throws WorkflowValidationException {
        List<Problem> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = (handled == null ? Mappers.YAML : Mappers.STRICT_YAML).readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new WorkflowValidationException(List.of(new Problem(source, loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr(), "", "not valid YAML or JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new WorkflowValidationException(List.of(new Problem(source, 0, 0, "", e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new WorkflowValidationException(List.of(new Problem(source, 1, 1, "",
                    "expected a mapping with name, version and tasks")));
        }
        SourcePositions where;
        try {
            where = new SourcePositions(Mappers.YAML.getFactory().createParser(text));
        } catch (IOException e) {
            throw new IllegalStateException(e); // it parsed above
        }
        Checks checks = new Checks(source, where, problems);
        for (Error err : compiled().validate(root)) {
            String pointer = err.getInstanceLocation().toString();
            if (err.getProperty() != null && ("required".equals(err.getKeyword())
                    || "additionalProperties".equals(err.getKeyword()))) {
                pointer = pointer + "/" + err.getProperty();
            }
            String m = err.getMessage();
            String loc = err.getInstanceLocation().toString();
            checks.add(pointer, m.startsWith(loc + ": ") ? m.substring(loc.length() + 2) : m);
        }
        Model.Workflow wf = semantic(root, source, text, checks);
        if (!problems.isEmpty()) {
            problems.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                    : Integer.compare(a.column(), b.column()));
            throw new WorkflowValidationException(problems);
        }
        return wf;
    }

    /** Collects problems at the position of their pointer. */
    private record Checks(String source, SourcePositions where, List<Problem> problems) {
        void add(String pointer, String message) {
            int[] lc = where.of(pointer);
            Problem p = new Problem(source, lc[0], lc[1], pointer, message);
            if (!problems.contains(p)) {
                problems.add(p);
            }
        }
    }

    private Model.Workflow semantic(JsonNode root, String source, String text, Checks checks) {
        Map<String, Model.Input> inputs = new LinkedHashMap<>();
        root.path("input").fields().forEachRemaining(e -> {
            JsonNode spec = e.getValue();
            String type = spec.path("type").asText("string");
            Object dflt = spec.has("default") ? Mappers.YAML.convertValue(spec.get("default"), Object.class) : null;
            if (dflt != null && !fits(type, dflt)) {
                checks.add("/input/" + e.getKey() + "/default", "is " + typeOf(dflt) + "; the input is of type "
                        + type);
            }
            boolean required = spec.path("required").asBoolean(!spec.has("default"));
            inputs.put(e.getKey(), new Model.Input(e.getKey(), type, dflt, required,
                    spec.path("description").asText("")));
        });

        JsonNode tasksNode = root.path("tasks");
        Set<String> ids = new HashSet<>();
        tasksNode.fieldNames().forEachRemaining(ids::add);
        Map<String, List<String>> deps = new LinkedHashMap<>();
        Map<String, Model.Task> tasks = new LinkedHashMap<>();
        tasksNode.fields().forEachRemaining(e -> {
            String id = e.getKey();
            JsonNode t = e.getValue();
            String at = "/tasks/" + id;
            List<String> dependsOn = new ArrayList<>();
            int i = 0;
            for (JsonNode d : t.path("depends_on")) {
                String dep = d.asText();
                if (dep.equals(id)) {
                    checks.add(at + "/depends_on/" + i, "a task cannot depend on itself");
                } else if (!ids.contains(dep)) {
                    checks.add(at + "/depends_on/" + i, "unknown task '" + dep + "'; tasks: " + String.join(", ",
                            ids.stream().sorted().toList()));
                } else {
                    dependsOn.add(dep);
                }
                i++;
            }
            deps.put(id, dependsOn);
            tasks.put(id, task(id, t, dependsOn, checks));
        });

        cycles(deps, checks);
        for (Model.Task t : tasks.values()) {
            String at = "/tasks/" + t.id();
            if (handled != null && !t.component().isEmpty() && !t.action().isEmpty()
                    && !handled.test(t.component(), t.action())) {
                checks.add(at + "/component", "no task handler serves component '" + t.component() + "', action '"
                        + t.action() + "'");
            }
            String comp = t.compensatedBy();
            if (comp != null) {
                Model.Task c = tasks.get(comp);
                if (c == null) {
                    checks.add(at + "/on_failure", "'" + comp + "': expected fail, continue or the id of a "
                            + "compensation task");
                } else if (!c.compensation()) {
                    checks.add(at + "/on_failure", "task '" + comp + "' is not marked compensation: true");
                }
            }
            if (t.compensation()) {
                tasks.values().stream().filter(o -> o.dependsOn().contains(t.id())).forEach(o -> checks.add(
                        "/tasks/" + o.id() + "/depends_on", "depends on compensation task '" + t.id()
                                + "', which runs only when a task fails"));
            }
            if (t.forEachItems() != null && t.repeatUntil() != null) {
                checks.add(at, "has both for_each and repeat; a task loops one way");
            }
            // a compensation runs after a failure, whichever task failed: it may read any other task (the failed
            // one's error above all) without depending on it; one that has not ended is not there yet (tasks.x?.error)
            Set<String> upstream = t.compensation() ? new HashSet<>(tasks.keySet()) : upstream(t.id(), deps);
            if (t.compensation()) {
                upstream.remove(t.id());
            }
            Set<String> locals = new HashSet<>();
            if (t.forEachItems() != null) {
                locals.add("item");
                locals.add("index");
            }
            if (t.repeatUntil() != null) {
                locals.add("iteration");
            }
            expressions(at + "/input", t.input(), inputs, tasks.keySet(), upstream, locals, checks);
            if (t.when() != null) {
                expressions(at + "/when", t.when(), inputs, tasks.keySet(), upstream, locals, checks);
            }
            if (t.forEachItems() instanceof String s) {
                expressions(at + "/for_each/items", s, inputs, tasks.keySet(), upstream, Set.of(), checks);
            }
            if (t.repeatUntil() != null) {
                Set<String> untilLocals = new HashSet<>(locals);
                untilLocals.add("output");
                expressions(at + "/repeat/until", t.repeatUntil(), inputs, tasks.keySet(), upstream, untilLocals,
                        checks);
            }
        }
        Map<String, Object> output = root.has("output") && root.get("output").isObject()
                ? Mappers.YAML.convertValue(root.get("output"), Map.class) : Map.of();
        expressions("/output", output, inputs, tasks.keySet(), tasks.keySet(), Set.of(), checks);

        List<Model.Trigger> on = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root.path("on")) {
            String at = "/on/" + i++;
            String filter = t.hasNonNull("filter") ? t.get("filter").asText() : null;
            @SuppressWarnings("unchecked")
            Map<String, Object> in = t.path("input").isObject() ? Mappers.YAML.convertValue(t.get("input"), Map.class)
                    : Map.of();
            if (filter != null) {
                expressions(at + "/filter", filter, inputs, Set.of(), Set.of(), Set.of("event"), checks);
            }
            expressions(at + "/input", in, inputs, Set.of(), Set.of(), Set.of("event"), checks);
            for (String k : in.keySet()) {
                if (!inputs.containsKey(k)) {
                    checks.add(at + "/input/" + k, "unknown input '" + k + "'; inputs: " + (inputs.isEmpty() ? "none"
                            : String.join(", ", inputs.keySet())));
                }
            }
            on.add(new Model.Trigger(t.path("type").asText("*"), filter, in));
        }
        int parallelism = root.path("parallelism").asInt(16);
        return new Model.Workflow(root.path("name").asText(""), root.path("version").asText(""),
                root.path("description").asText(""), Math.max(1, parallelism), inputs, tasks, output, source, text,
                on);
    }

    private Model.Task task(String id, JsonNode t, List<String> dependsOn, Checks checks) {
        String at = "/tasks/" + id;
        Model.Join join = switch (t.path("join").asText("all")) {
            case "any" -> Model.Join.ANY;
            case "one" -> Model.Join.ONE;
            default -> Model.Join.ALL;
        };
        if (t.has("join") && dependsOn.size() < 2) {
            checks.add(at + "/join", "a join needs two or more dependencies; this task has " + dependsOn.size());
        }
        JsonNode r = t.path("retry");
        Model.Retry retry = Model.Retry.NONE;
        if (r.isObject()) {
            Model.Backoff backoff = switch (r.path("backoff").asText("exponential")) {
                case "fixed" -> Model.Backoff.FIXED;
                case "linear" -> Model.Backoff.LINEAR;
                default -> Model.Backoff.EXPONENTIAL;
            };
            retry = new Model.Retry(Math.max(1, r.path("attempts").asInt(3)), backoff,
                    duration(r.path("delay"), Duration.ofSeconds(1)), Math.max(1, r.path("factor").asDouble(2)),
                    duration(r.path("max_delay"), Duration.ofMinutes(5)),
                    Math.min(1, Math.max(0, r.path("jitter").asDouble(0))));
        }
        JsonNode fe = t.path("for_each");
        Object items = null;
        if (fe.isObject() && fe.has("items")) {
            items = Mappers.YAML.convertValue(fe.get("items"), Object.class);
            if (items instanceof String s && !Expressions.isTemplate(s)) {
                checks.add(at + "/for_each/items", "'" + s + "': expected a list or a ${...} expression giving one");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> input = t.path("input").isObject() ? Mappers.YAML.convertValue(t.get("input"), Map.class)
                : Map.of();
        return new Model.Task(id, t.path("component").asText(""), t.path("action").asText(""), input, dependsOn,
                t.hasNonNull("when") ? t.get("when").asText() : null, join, items,
                Math.max(1, fe.path("parallelism").asInt(4)),
                t.path("repeat").hasNonNull("until") ? t.path("repeat").get("until").asText() : null,
                Math.max(1, t.path("repeat").path("max").asInt(1)), retry,
                t.has("timeout") ? duration(t.get("timeout"), null) : null, t.path("on_failure").asText("fail"),
                t.path("compensation").asBoolean(false));
    }

    private static Duration duration(JsonNode n, Duration fallback) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        try {
            return Durations.parse(n.asText());
        } catch (IllegalArgumentException e) {
            return fallback; // the schema reported it
        }
    }

    /** Every dependency cycle, by its path (a -> b -> a), once. */
    private static void cycles(Map<String, List<String>> deps, Checks checks) {
        Map<String, Integer> state = new LinkedHashMap<>(); // 1 on the path, 2 done
        Set<Set<String>> seen = new HashSet<>();
        for (String start : deps.keySet()) {
            visit(start, deps, state, new ArrayList<>(), seen, checks);
        }
    }

    private static void visit(String id, Map<String, List<String>> deps, Map<String, Integer> state,
            List<String> path, Set<Set<String>> seen, Checks checks) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            if (seen.add(new HashSet<>(cycle))) {
                cycle.add(id);
                checks.add("/tasks/" + cycle.get(0) + "/depends_on", "dependency cycle: "
                        + String.join(" -> ", reversed(cycle)));
            }
            return;
        }
        state.put(id, 1);
        path.add(id);
        for (String d : deps.getOrDefault(id, List.of())) {
            visit(d, deps, state, path, seen, checks);
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
    }

    /** A path found along depends_on reads against the flow; say it in the order tasks run. */
    private static List<String> reversed(List<String> cycle) {
        List<String> r = new ArrayList<>(cycle);
        java.util.Collections.reverse(r);
        return r;
    }

    private static Set<String> upstream(String id, Map<String, List<String>> deps) {
        Set<String> out = new HashSet<>();
        List<String> todo = new ArrayList<>(deps.getOrDefault(id, List.of()));
        while (!todo.isEmpty()) {
            String d = todo.remove(todo.size() - 1);
            if (out.add(d)) {
                todo.addAll(deps.getOrDefault(d, List.of()));
            }
        }
        return out;
    }

    /** Checks every expression inside a value (strings in maps and lists), with the pointer of each string. */
    private static void expressions(String pointer, Object value, Map<String, Model.Input> inputs, Set<String> tasks,
            Set<String> upstream, Set<String> locals, Checks checks) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> expressions(pointer + "/" + k, v, inputs, tasks, upstream, locals, checks));
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                expressions(pointer + "/" + i, l.get(i), inputs, tasks, upstream, locals, checks);
            }
        } else if (value instanceof String s) {
            // conditions are expressions without ${}; any other string is text unless it holds a ${...}
            boolean condition = pointer.matches("/tasks/[^/]+/when|/tasks/[^/]+/repeat/until|/on/\\d+/filter");
            String text = condition && !Expressions.isTemplate(s) ? "${" + s + "}" : s;
            if (!Expressions.isTemplate(text)) {
                return;
            }
            Set<List<String>> vars;
            try {
                vars = Expressions.variables(text);
            } catch (IllegalArgumentException e) {
                checks.add(pointer, "expression does not parse: " + e.getMessage());
                return;
            }
            for (List<String> v : vars) {
                String rootName = v.get(0);
                String ref = String.join(".", v);
                if (locals.contains(rootName)) {
                    continue;
                }
                if (!ROOTS.contains(rootName)) {
                    checks.add(pointer, "'" + ref + "': unknown name '" + rootName + "'; expected input.NAME, "
                            + "tasks.ID" + (locals.isEmpty() ? "" : " or " + String.join(", ", locals.stream()
                                    .sorted().toList())));
                } else if (rootName.equals("input")) {
                    if (v.size() < 2 || !inputs.containsKey(v.get(1))) {
                        checks.add(pointer, "'" + ref + "': unknown input" + (v.size() < 2 ? "" : " '" + v.get(1)
                                + "'") + "; inputs: " + (inputs.isEmpty() ? "none" : String.join(", ",
                                        inputs.keySet())));
                    }
                } else if (rootName.equals("tasks")) {
                    if (v.size() < 2 || !tasks.contains(v.get(1))) {
                        checks.add(pointer, "'" + ref + "': unknown task" + (v.size() < 2 ? "" : " '" + v.get(1)
                                + "'") + "; tasks: " + String.join(", ", tasks.stream().sorted().toList()));
                    } else if (!upstream.contains(v.get(1))) {
                        checks.add(pointer, "'" + ref + "': reads task '" + v.get(1) + "', which this task does not "
                                + "depend on (add it to depends_on)");
                    }
                } else {
                    checks.add(pointer, "'" + ref + "': '" + rootName + "' exists only in "
                            + (rootName.equals("output") || rootName.equals("iteration") ? "a repeat" : "a for_each"));
                }
            }
        }
    }

    static boolean fits(String type, Object v) {
        return switch (type) {
            case "string" -> v instanceof String;
            case "integer" -> v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger;
            case "number" -> v instanceof Number;
            case "boolean" -> v instanceof Boolean;
            case "array" -> v instanceof List;
            case "object" -> v instanceof Map;
            default -> true;
        };
    }

    static String typeOf(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Integer || v instanceof Long) {
            return "an integer";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v instanceof Map ? "an object" : String.valueOf(v).toLowerCase(Locale.ROOT);
    }

    private static Schema schema() {
        try (InputStream in = DefinitionReader.class.getResourceAsStream("workflow.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("workflow.schema.json missing from the bundle");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            com.networknt.schema.InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
