package io.harmonix.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow instance as a graph the page draws in SVG without any library: a node per task with its state, an
 * edge per {@code depends_on}, and a layered layout (a task's layer is the longest path to it from a task without
 * dependencies; its column its rank in that layer). The edges come from the definition as deployed (the engine's
 * API gives its text, not its model); the states from the instance.
 */
final class WorkflowGraph {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Node(String id, String state, int layer, int column, int attempts, String reason) {
    }

    record Graph(String instance, String workflow, String version, String state, List<Node> nodes,
            List<List<String>> edges, int layers, int columns) {
    }

    private WorkflowGraph() {
    }

    static Graph of(DefinitionInfo definition, InstanceInfo instance) {
        Map<String, List<String>> deps = dependencies(definition);
        Map<String, Integer> layer = new HashMap<>();
        for (TaskInfo t : instance.tasks()) {
            layerOf(t.id(), deps, layer, 0);
        }
        Map<Integer, Integer> used = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        int columns = 0;
        for (TaskInfo t : instance.tasks()) {
            int l = layer.getOrDefault(t.id(), 0);
            int c = used.merge(l, 1, Integer::sum) - 1;
            columns = Math.max(columns, c + 1);
            nodes.add(new Node(t.id(), t.state().name().toLowerCase(java.util.Locale.ROOT), l, c, t.attempts(),
                    t.reason()));
        }
        List<List<String>> edges = new ArrayList<>();
        deps.forEach((task, from) -> from.forEach(d -> edges.add(List.of(d, task))));
        int layers = layer.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        return new Graph(instance.id(), instance.workflow(), instance.version(),
                instance.state().name().toLowerCase(java.util.Locale.ROOT), nodes, edges, layers, columns);
    }

    /** @return each task's dependencies as written, in the definition's order */
    static Map<String, List<String>> dependencies(DefinitionInfo definition) {
        JsonNode root;
        try {
            root = YAML.readTree(definition.text());
        } catch (IOException e) {
            throw new IllegalStateException("the definition " + definition.name() + " " + definition.version()
                    + " as stored does not read: " + e.getMessage(), e);
        }
        Map<String, List<String>> deps = new LinkedHashMap<>();
        root.path("tasks").fields().forEachRemaining(e -> {
            List<String> from = new ArrayList<>();
            JsonNode d = e.getValue().path("depends_on");
            if (d.isTextual()) {
                from.add(d.asText());
            } else {
                d.forEach(n -> from.add(n.asText()));
            }
            deps.put(e.getKey(), from);
        });
        return deps;
    }

    /** Longest path from a root; the engine refuses cycles, the depth bound only guards a definition gone bad. */
    private static int layerOf(String id, Map<String, List<String>> deps, Map<String, Integer> layer, int depth) {
        Integer known = layer.get(id);
        if (known != null) {
            return known;
        }
        int l = 0;
        if (depth < deps.size()) {
            for (String d : deps.getOrDefault(id, List.of())) {
                l = Math.max(l, layerOf(d, deps, layer, depth + 1) + 1);
            }
        }
        layer.put(id, l);
        return l;
    }
}
