package io.harmonix.agent.architecture.internal.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.agent.architecture.internal.analysis.Cycles.Cycle;
import io.harmonix.agent.architecture.internal.analysis.Metrics.Row;
import io.harmonix.agent.architecture.internal.graph.CodeGraph;
import io.harmonix.agent.architecture.internal.graph.Edge;
import io.harmonix.agent.architecture.internal.graph.GraphBuilder;
import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.agent.architecture.internal.graph.TypeInfo;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One analysis of a target's architecture: its graph, cycles, metrics and the findings about them. Trend findings
 * need the previous cycle's {@link Trends} state.
 *
 * @param build the graph and how it was read
 * @param packageEdges references between packages, by edge
 * @param moduleEdges references between modules, by edge
 * @param packageCycles cycles between packages
 * @param moduleCycles cycles between modules
 * @param packageMetrics Martin's metrics per package
 * @param moduleMetrics Martin's metrics per module
 * @param findings what is wrong
 */
public record ArchitectureAnalysis(GraphBuilder.Result build, Map<Edge, List<Reference>> packageEdges,
        Map<Edge, List<Reference>> moduleEdges, List<Cycle> packageCycles, List<Cycle> moduleCycles,
        Map<String, Row> packageMetrics, Map<String, Row> moduleMetrics, List<Finding> findings) {

    /**
     * @param previous the trend state of the previous cycle on this target, or a missing node on the first
     * @throws LayeringRules.SyntaxException when the rules do not parse
     * @throws IOException when a configured rules file is missing or a file cannot be read
     */
    public static ArchitectureAnalysis run(Target target, Settings settings, JsonNode previous, BooleanSupplier stop,
            GraphBuilder.Progress progress) throws IOException {
        List<LayeringRules.Rule> rules = rules(target.root(), settings);
        GraphBuilder.Result build = GraphBuilder.build(target.root(), target.files(), stop, progress);
        CodeGraph graph = build.graph();
        Map<Edge, List<Reference>> packageEdges = graph.packageEdges();
        Map<Edge, List<Reference>> moduleEdges = graph.moduleEdges();
        List<Cycle> packageCycles = Cycles.find(costs(packageEdges));
        List<Cycle> moduleCycles = Cycles.find(costs(moduleEdges));
        Map<String, Row> packageMetrics = Metrics.packages(graph);
        Map<String, Row> moduleMetrics = Metrics.modules(graph);

        Findings make = new Findings(target);
        List<Finding> findings = new ArrayList<>();
        cycles(make, settings, "package", packageCycles, packageEdges, findings);
        cycles(make, settings, "module", moduleCycles, moduleEdges, findings);
        distance(make, settings, graph, packageMetrics, findings);
        for (LayeringRules.Violation v : LayeringRules.check(rules, graph)) {
            Reference r = v.reference();
            findings.add(make.at(ArchitectureRules.LAYERING, Risk.MEDIUM, r, r.fromPackage() + " uses "
                    + r.toPackage() + ", which the rule '" + v.rule().text() + "' (" + v.rule().source() + ":"
                    + v.rule().line() + ") denies", "  " + r.file() + ":" + r.line() + " " + r.fromType()
                    + " uses " + r.toType(), v.rule().text() + "|" + r.fromType() + "|" + r.toType()));
        }
        findings.addAll(OsgiChecks.findings(make, graph));
        if (!build.partial()) {
            // a partial graph lacks edges: its instabilities are not comparable with a whole one's
            findings.addAll(Trends.findings(make, graph, previous, packageCycles, moduleCycles, packageEdges,
                    moduleEdges, moduleMetrics, settings));
        }
        return new ArchitectureAnalysis(build, packageEdges, moduleEdges, packageCycles, moduleCycles,
                packageMetrics, moduleMetrics, findings);
    }

    /** The rules of the rules file (when there is one) and then those of the configuration. */
    static List<LayeringRules.Rule> rules(Path root, Settings settings) throws IOException {
        List<LayeringRules.Rule> rules = new ArrayList<>();
        Path file = root.resolve(settings.rulesFile()).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("rulesFile '" + settings.rulesFile() + "' is outside the target "
                    + root);
        }
        if (Files.isRegularFile(file)) {
            rules.addAll(LayeringRules.parse(settings.rulesFile(), Files.readAllLines(file,
                    StandardCharsets.UTF_8)));
        } else if (settings.rulesFileConfigured()) {
            throw new IOException("rulesFile '" + settings.rulesFile() + "' does not exist in the target " + root);
        }
        if (!settings.inlineRules().isBlank()) {
            rules.addAll(LayeringRules.parse("configuration layering", Arrays.asList(settings.inlineRules()
                    .split("\r?\n|;", -1))));
        }
        return rules;
    }

    static Map<Edge, Integer> costs(Map<Edge, List<Reference>> edges) {
        Map<Edge, Integer> costs = new LinkedHashMap<>();
        edges.forEach((e, refs) -> costs.put(e, refs.size()));
        return costs;
    }

    private static void cycles(Findings make, Settings settings, String level, List<Cycle> cycles,
            Map<Edge, List<Reference>> edges, List<Finding> out) {
        for (Cycle c : cycles) {
            Reference first = edges.get(c.cut().get(0)).get(0);
            out.add(make.at(ArchitectureRules.CYCLE, Risk.MEDIUM, first, level + " cycle of " + c.members().size()
                    + " (" + String.join(", ", c.members()) + "); cut " + describeCut(c) + " to break it",
                    evidence(c, edges, settings.evidenceReferences()), level + ":" + c.key()));
        }
    }

    /** @return the cut edges with their costs: "a -> b (1 reference)" */
    static String describeCut(Cycle c) {
        return c.cut().stream().map(e -> e + " (" + c.edges().get(e) + (c.edges().get(e) == 1 ? " reference)"
                : " references)")).collect(Collectors.joining(", "));
    }

    /** The cycle's edges, cheapest first, each with its first references; the edges to cut are marked. */
    static String evidence(Cycle c, Map<Edge, List<Reference>> edges, int max) {
        StringBuilder sb = new StringBuilder("edges (references; * = to cut: the cheapest set that breaks every "
                + "cycle, exact up to " + Cycles.EXACT_LIMIT + " edges, greedy beyond):");
        c.edges().entrySet().stream().sorted(Map.Entry.<Edge, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> sb.append('\n')
                .append(c.cut().contains(e.getKey()) ? "* " : "  ").append(e.getKey()).append(" (")
                .append(e.getValue()).append(")\n").append(Findings.evidence(edges.get(e.getKey()), max)));
        return sb.toString();
    }

    private static void distance(Findings make, Settings settings, CodeGraph graph, Map<String, Row> metrics,
            List<Finding> out) {
        Map<String, List<TypeInfo>> packages = graph.packages();
        for (Row row : metrics.values()) {
            if (row.types() < settings.minPackageTypes() || row.distance() <= settings.distanceThreshold()) {
                continue;
            }
            TypeInfo where = packages.get(row.name()).stream().min(Comparator.comparing(TypeInfo::file))
                    .orElseThrow();
            out.add(make.at(ArchitectureRules.DISTANCE, Risk.MEDIUM, where.file(), where.line(), String.format(
                    java.util.Locale.ROOT, "package %s is %.2f from the main sequence (above %.2f): A = %.2f, "
                    + "I = %.2f", row.name(), row.distance(), settings.distanceThreshold(), row.abstractness(),
                    row.instability()), String.format(java.util.Locale.ROOT, "types %d (abstract %d), Ca %d, "
                    + "Ce %d, I %.2f, A %.2f, D %.2f", row.types(), row.abstractTypes(), row.ca(), row.ce(),
                    row.instability(), row.abstractness(), row.distance()), "distance:" + row.name()));
        }
    }
}
