package io.harmonix.agent.architecture.internal.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.agent.architecture.internal.analysis.Cycles.Cycle;
import io.harmonix.agent.architecture.internal.analysis.Metrics.Row;
import io.harmonix.agent.architecture.internal.graph.Edge;
import io.harmonix.agent.architecture.internal.graph.Module;
import io.harmonix.agent.architecture.internal.graph.Reference;
import java.util.List;
import java.util.Map;

/**
 * The analysis as JSON for the cycle's outputs, next to the findings: {@code "architecture"} (how each module was
 * read, the modules, the module edges with their reference counts, the cycles with their cuts) and {@code "metrics"}
 * (Martin's metrics of every package and module).
 */
public final class Report {
    private Report() {
    }

    /** Adds "architecture" and "metrics" to {@code outputs}. */
    public static void write(ArchitectureAnalysis a, ObjectNode outputs) {
        ObjectNode arch = outputs.putObject("architecture");
        ObjectNode modes = arch.putObject("read");
        a.build().modes().forEach(modes::put);
        ArrayNode modules = arch.putArray("modules");
        for (Module m : a.build().graph().modules()) {
            modules.addObject().put("path", m.path()).put("name", m.name()).put("bundle", m.bundle());
        }
        ArrayNode edges = arch.putArray("moduleEdges");
        a.moduleEdges().forEach((e, refs) -> edges.addObject().put("from", e.from()).put("to", e.to())
                .put("references", refs.size()).put("first", refs.get(0).file() + ":" + refs.get(0).line()));
        arch.put("packageEdges", a.packageEdges().size());
        ArrayNode cycles = arch.putArray("cycles");
        cycles(cycles, "package", a.packageCycles(), a.packageEdges());
        cycles(cycles, "module", a.moduleCycles(), a.moduleEdges());
        ObjectNode metrics = outputs.putObject("metrics");
        rows(metrics.putArray("packages"), a.packageMetrics());
        rows(metrics.putArray("modules"), a.moduleMetrics());
    }

    private static void cycles(ArrayNode out, String level, List<Cycle> cycles, Map<Edge, List<Reference>> edges) {
        for (Cycle c : cycles) {
            ObjectNode n = out.addObject().put("level", level);
            c.members().forEach(n.putArray("members")::add);
            ArrayNode cut = n.putArray("cut");
            for (Edge e : c.cut()) {
                Reference first = edges.get(e).get(0);
                cut.addObject().put("from", e.from()).put("to", e.to()).put("references", c.edges().get(e))
                        .put("first", first.file() + ":" + first.line());
            }
        }
    }

    private static void rows(ArrayNode out, Map<String, Row> rows) {
        for (Row r : rows.values()) {
            out.addObject().put("name", r.name()).put("types", r.types()).put("abstract", r.abstractTypes())
                    .put("ca", r.ca()).put("ce", r.ce()).put("instability", round(r.instability()))
                    .put("abstractness", round(r.abstractness())).put("distance", round(r.distance()));
        }
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
