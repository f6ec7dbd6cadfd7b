package io.harmonix.agent.architecture.internal.command;

import io.harmonix.agent.architecture.internal.analysis.Cycles.Cycle;
import io.harmonix.agent.architecture.internal.graph.Edge;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Draws a module graph as Mermaid ({@code graph LR}) or Graphviz DOT: modules as nodes, edges labelled with their
 * reference counts; edges inside a cycle red and bold, the edges to cut dashed, and a comment listing the cycles.
 */
final class GraphDrawing {
    /** The formats enhance:graph writes. */
    enum Format { MERMAID, DOT }

    private final Collection<String> modules;
    private final Map<Edge, Integer> edges;
    private final List<Cycle> cycles;
    private final Set<Edge> inCycle = new HashSet<>();
    private final Set<Edge> cut = new HashSet<>();

    GraphDrawing(Collection<String> modules, Map<Edge, Integer> edges, List<Cycle> cycles) {
        this.modules = new TreeSet<>(modules);
        this.edges = edges;
        this.cycles = cycles;
        cycles.forEach(c -> {
            inCycle.addAll(c.edges().keySet());
            cut.addAll(c.cut());
        });
    }

    String draw(Format format) {
        return format == Format.DOT ? dot() : mermaid();
    }

    private List<String> cycleComments() {
        List<String> out = new ArrayList<>();
        out.add(cycles.isEmpty() ? "no cycles" : cycles.size() + " cycle(s), edges in red, edges to cut dashed:");
        for (Cycle c : cycles) {
            out.add("cycle: " + String.join(", ", c.members()) + "; cut " + String.join(", ",
                    c.cut().stream().map(e -> e + " (" + c.edges().get(e) + ")").toList()));
        }
        return out;
    }

    private String mermaid() {
        StringBuilder sb = new StringBuilder();
        cycleComments().forEach(l -> sb.append("%% ").append(l).append('\n'));
        sb.append("graph LR\n");
        Map<String, String> ids = new LinkedHashMap<>();
        for (String m : modules) {
            String id = "m" + ids.size();
            ids.put(m, id);
            sb.append("  ").append(id).append("[\"").append(m.replace("\"", "#quot;")).append("\"]\n");
        }
        List<String> styles = new ArrayList<>();
        int index = 0;
        for (Map.Entry<Edge, Integer> e : edges.entrySet()) {
            Edge edge = e.getKey();
            boolean isCut = cut.contains(edge);
            sb.append("  ").append(ids.get(edge.from())).append(isCut ? " -.->|" : " -->|").append(e.getValue())
                    .append(isCut ? " cut" : "").append("| ").append(ids.get(edge.to())).append('\n');
            if (inCycle.contains(edge)) {
                styles.add("  linkStyle " + index + " stroke:red,stroke-width:3px");
            }
            index++;
        }
        styles.forEach(s -> sb.append(s).append('\n'));
        return sb.toString();
    }

    private String dot() {
        StringBuilder sb = new StringBuilder();
        cycleComments().forEach(l -> sb.append("// ").append(l).append('\n'));
        sb.append("digraph modules {\n  rankdir=LR;\n  node [shape=box];\n");
        for (String m : modules) {
            sb.append("  ").append(quote(m)).append(";\n");
        }
        for (Map.Entry<Edge, Integer> e : edges.entrySet()) {
            Edge edge = e.getKey();
            sb.append("  ").append(quote(edge.from())).append(" -> ").append(quote(edge.to())).append(" [label=\"")
                    .append(e.getValue()).append('"');
            if (inCycle.contains(edge)) {
                sb.append(", color=red, penwidth=2, style=").append(cut.contains(edge) ? "\"bold,dashed\"" : "bold");
            }
            sb.append("];\n");
        }
        return sb.append("}\n").toString();
    }

    private static String quote(String id) {
        return "\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
