package io.harmonix.agent.architecture.internal.analysis;

import io.harmonix.agent.architecture.internal.graph.CodeGraph;
import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.agent.architecture.internal.graph.TypeInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Robert C. Martin's package metrics, for packages and for modules, counted over the analysed code's own types
 * (dependencies on libraries and the JDK are not counted: they are not part of the design under review).
 *
 * <ul>
 * <li>Ca, afferent coupling: types outside the unit that depend on a type inside it</li>
 * <li>Ce, efferent coupling: types inside the unit that depend on a type outside it</li>
 * <li>I = Ce / (Ca + Ce), instability (0 when nothing couples either way)</li>
 * <li>A = abstract types (interfaces, abstract classes, annotations) / types, abstractness</li>
 * <li>D = |A + I - 1|, distance from the main sequence</li>
 * </ul>
 */
public final class Metrics {
    /** One unit's metrics. */
    public record Row(String name, int types, int abstractTypes, int ca, int ce, double instability,
            double abstractness, double distance) {
    }

    private Metrics() {
    }

    /** @return each package's metrics, by package */
    public static Map<String, Row> packages(CodeGraph graph) {
        return compute(graph, TypeInfo::packageName, Function.identity());
    }

    /** @return each module's metrics, by module name */
    public static Map<String, Row> modules(CodeGraph graph) {
        return compute(graph, t -> graph.moduleName(t.module()), graph::moduleNameOfPackage);
    }

    /**
     * @param unitOfType the unit a type belongs to
     * @param unitOfPackage the unit a referred package belongs to (a wildcard import names a package only)
     */
    private static Map<String, Row> compute(CodeGraph graph, Function<TypeInfo, String> unitOfType,
            Function<String, String> unitOfPackage) {
        Map<String, Integer> types = new TreeMap<>();
        Map<String, Integer> abstracts = new HashMap<>();
        Map<String, String> unitOf = new HashMap<>();
        for (TypeInfo t : graph.types()) {
            String unit = unitOfType.apply(t);
            unitOf.put(t.name(), unit);
            types.merge(unit, 1, Integer::sum);
            abstracts.merge(unit, t.abstractType() ? 1 : 0, Integer::sum);
        }
        Map<String, Set<String>> afferent = new HashMap<>();
        Map<String, Set<String>> efferent = new HashMap<>();
        for (Reference r : graph.references()) {
            String from = unitOf.get(r.fromType());
            String to = unitOf.getOrDefault(r.toType(), unitOfPackage.apply(r.toPackage()));
            if (from == null || to == null || from.equals(to)) {
                continue;
            }
            afferent.computeIfAbsent(to, k -> new HashSet<>()).add(r.fromType());
            efferent.computeIfAbsent(from, k -> new HashSet<>()).add(r.fromType());
        }
        Map<String, Row> out = new TreeMap<>();
        types.forEach((unit, n) -> {
            int ca = afferent.getOrDefault(unit, Set.of()).size();
            int ce = efferent.getOrDefault(unit, Set.of()).size();
            out.put(unit, row(unit, n, abstracts.get(unit), ca, ce));
        });
        return out;
    }

    /** @return the metrics of a unit of {@code types} types, {@code abstractTypes} of them abstract */
    public static Row row(String name, int types, int abstractTypes, int ca, int ce) {
        double i = ca + ce == 0 ? 0 : (double) ce / (ca + ce);
        double a = types == 0 ? 0 : (double) abstractTypes / types;
        return new Row(name, types, abstractTypes, ca, ce, i, a, Math.abs(a + i - 1));
    }

    /** @return the rows as a list, for the outputs */
    public static List<Row> list(Map<String, Row> rows) {
        return List.copyOf(rows.values());
    }
}
