package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.TaskState;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a workflow's task graph as Mermaid or Graphviz DOT: an edge per dependency (labelled with the join when
 * it is not "all"), conditions and loops on the nodes; for an instance, each task coloured by its state.
 */
public final class Graphs {
    private static final Map<TaskState, String> COLOURS = Map.of(TaskState.PENDING, "#eeeeee",
            TaskState.RUNNING, "#9ecbff", TaskState.SUCCEEDED, "#a7e3a1", TaskState.FAILED, "#f4a3a3",
            TaskState.SKIPPED, "#fff2a8", TaskState.CANCELLED, "#cccccc");

    private Graphs() {
    }

    /** @param instance the instance to colour by, or null for the definition alone */
    public static String draw(DefinitionInfo definition, InstanceInfo instance, String format) {
        Model.Workflow wf;
        try {
            wf = new DefinitionReader(null).read(definition.source(), definition.text());
        } catch (io.harmonix.workflow.api.WorkflowValidationException e) {
            throw new IllegalStateException("the stored definition does not read: " + e.getMessage(), e);
        }
        Map<String, TaskState> states = new HashMap<>();
        if (instance != null) {
            for (TaskInfo t : instance.tasks()) {
                states.put(t.id(), t.state());
            }
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "mermaid" -> mermaid(wf, states);
            case "dot" -> dot(wf, states, instance == null ? wf.name() + " " + wf.version() : instance.id());
            default -> throw new IllegalArgumentException("format '" + format + "': expected mermaid or dot");
        };
    }

    private static String label(Model.Task t, TaskState state) {
        StringBuilder l = new StringBuilder(t.id()).append("\\n").append(t.component()).append('/').append(t.action());
        if (t.when() != null) {
            l.append("\\nwhen ").append(t.when());
        }
        if (t.forEachItems() != null) {
            l.append("\\nfor each");
        }
        if (t.repeatUntil() != null) {
            l.append("\\nrepeat until ").append(t.repeatUntil());
        }
        if (t.compensation()) {
            l.append("\\ncompensation");
        }
        if (state != null) {
            l.append("\\n").append(state.name().toLowerCase(Locale.ROOT));
        }
        return l.toString().replace("\"", "'");
    }

    private static String mermaid(Model.Workflow wf, Map<String, TaskState> states) {
        StringBuilder m = new StringBuilder("flowchart TD\n");
        for (Model.Task t : wf.tasks().values()) {
            m.append("  ").append(t.id()).append("[\"").append(label(t, states.get(t.id())).replace("\\n", "<br/>"))
                    .append("\"]\n");
        }
        for (Model.Task t : wf.tasks().values()) {
            for (String d : t.dependsOn()) {
                m.append("  ").append(d).append(t.join() == Model.Join.ALL ? " --> " : " -- " + t.join().name()
                        .toLowerCase(Locale.ROOT) + " --> ").append(t.id()).append('\n');
            }
            if (t.compensatedBy() != null) {
                m.append("  ").append(t.id()).append(" -. on failure .-> ").append(t.compensatedBy()).append('\n');
            }
        }
        for (var e : states.entrySet()) {
            m.append("  style ").append(e.getKey()).append(" fill:").append(COLOURS.get(e.getValue())).append('\n');
        }
        return m.toString();
    }

    private static String dot(Model.Workflow wf, Map<String, TaskState> states, String title) {
        StringBuilder d = new StringBuilder("digraph \"").append(title.replace("\"", "'")).append("\" {\n")
                .append("  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"];\n");
        for (Model.Task t : wf.tasks().values()) {
            TaskState s = states.get(t.id());
            d.append("  \"").append(t.id()).append("\" [label=\"").append(label(t, s)).append('"');
            if (s != null) {
                d.append(", fillcolor=\"").append(COLOURS.get(s)).append('"');
            }
            d.append("];\n");
        }
        for (Model.Task t : wf.tasks().values()) {
            for (String dep : t.dependsOn()) {
                d.append("  \"").append(dep).append("\" -> \"").append(t.id()).append('"');
                if (t.join() != Model.Join.ALL) {
                    d.append(" [label=\"").append(t.join().name().toLowerCase(Locale.ROOT)).append("\"]");
                }
                d.append(";\n");
            }
            if (t.compensatedBy() != null) {
                d.append("  \"").append(t.id()).append("\" -> \"").append(t.compensatedBy())
                        .append("\" [style=dashed, label=\"on failure\"];\n");
            }
        }
        return d.append("}\n").toString();
    }

    static List<String> formats() {
        return List.of("mermaid", "dot");
    }
}
