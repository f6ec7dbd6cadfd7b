package io.harmonix.agent.architecture.internal.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.agent.architecture.internal.analysis.Cycles.Cycle;
import io.harmonix.agent.architecture.internal.analysis.Metrics.Row;
import io.harmonix.agent.architecture.internal.graph.CodeGraph;
import io.harmonix.agent.architecture.internal.graph.Edge;
import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.agent.architecture.internal.graph.TypeInfo;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Risk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trends across cycles on one target: a cycle that was not there last time, a module whose instability grew by more
 * than the threshold. What the next cycle compares with is kept in the agent's state under
 * {@code "architecture": {root: {"cycles": ["package:a,b", ...], "instability": {module: I}}}}.
 */
public final class Trends {
    static final ObjectMapper JSON = new ObjectMapper();

    private Trends() {
    }

    /** @param previous this target's trend state of the previous cycle; missing on the first: no trend yet */
    static List<Finding> findings(Findings make, CodeGraph graph, JsonNode previous, List<Cycle> packageCycles,
            List<Cycle> moduleCycles, Map<Edge, List<Reference>> packageEdges,
            Map<Edge, List<Reference>> moduleEdges, Map<String, Row> moduleMetrics, Settings settings) {
        List<Finding> out = new ArrayList<>();
        if (previous == null || !previous.isObject()) {
            return out;
        }
        Set<String> before = new HashSet<>();
        previous.path("cycles").forEach(n -> before.add(n.asText()));
        newCycles(make, "package", packageCycles, packageEdges, before, out);
        newCycles(make, "module", moduleCycles, moduleEdges, before, out);
        JsonNode instability = previous.path("instability");
        for (Row row : moduleMetrics.values()) {
            JsonNode was = instability.path(row.name());
            if (was.isNumber() && row.instability() - was.asDouble() > settings.instabilityGrowth()) {
                // no one reference makes it: it points at the module's first type's package line
                TypeInfo where = graph.typesByModule().get(row.name()).stream()
                        .min(Comparator.comparing(TypeInfo::file)).orElseThrow();
                out.add(make.at(ArchitectureRules.INSTABILITY_GROWTH, Risk.LOW, where.file(), where.line(),
                        String.format(Locale.ROOT,
                        "instability of module %s grew from %.2f to %.2f (more than %.2f)", row.name(),
                        was.asDouble(), row.instability(), settings.instabilityGrowth()), String.format(Locale.ROOT,
                        "Ca %d, Ce %d, I %.2f (was %.2f)", row.ca(), row.ce(), row.instability(), was.asDouble()),
                        "instability:" + row.name()));
            }
        }
        return out;
    }

    private static void newCycles(Findings make, String level, List<Cycle> cycles,
            Map<Edge, List<Reference>> edges, Set<String> before, List<Finding> out) {
        for (Cycle c : cycles) {
            if (!before.contains(level + ":" + c.key())) {
                Reference first = edges.get(c.cut().get(0)).get(0);
                out.add(make.at(ArchitectureRules.NEW_CYCLE, Risk.MEDIUM, first, "new " + level + " cycle since the "
                        + "previous cycle: " + String.join(", ", c.members()) + "; cut "
                        + ArchitectureAnalysis.describeCut(c), ArchitectureAnalysis.evidence(c, edges, 3),
                        "new:" + level + ":" + c.key()));
            }
        }
    }

    /** @return this analysis's trend state, for the next cycle */
    public static ObjectNode state(ArchitectureAnalysis a) {
        ObjectNode node = JSON.createObjectNode();
        var cycles = node.putArray("cycles");
        a.packageCycles().forEach(c -> cycles.add("package:" + c.key()));
        a.moduleCycles().forEach(c -> cycles.add("module:" + c.key()));
        ObjectNode instability = node.putObject("instability");
        a.moduleMetrics().values().forEach(r -> instability.put(r.name(), r.instability()));
        return node;
    }
}
