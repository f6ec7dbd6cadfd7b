package io.harmonix.fleet.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.fleet.api.DependencyGraph;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.internal.Known;
import io.harmonix.shell.api.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** How the repo: commands render the catalogue: a discovery report, one repository, the dependency graph. */
final class RepoViews {
    private RepoViews() {
    }

    static String report(DiscoveryReport r) {
        long withProblem = r.repositories().stream().filter(x -> !x.healthy()).count();
        StringBuilder t = new StringBuilder("discovered " + r.repositories().size() + " repositories ("
                + withProblem + " with a problem) at " + r.finishedAt());
        t.append("\n  added: ").append(r.added().isEmpty() ? "none" : String.join(", ", r.added()));
        t.append("\n  vanished: ").append(r.vanished().isEmpty() ? "none" : String.join(", ", r.vanished()));
        if (r.problems().isEmpty()) {
            t.append("\n  problems: none");
        } else {
            t.append("\n  problems (").append(r.problems().size()).append("):");
            r.problems().forEach(p -> t.append("\n    ").append(p));
        }
        return t.toString();
    }

    static ObjectNode reportJson(DiscoveryReport r) {
        ObjectNode n = Json.object().put("finished_at", r.finishedAt().toString())
                .put("repositories", r.repositories().size())
                .put("with_problem", r.repositories().stream().filter(x -> !x.healthy()).count());
        r.added().forEach(n.putArray("added")::add);
        r.vanished().forEach(n.putArray("vanished")::add);
        r.problems().forEach(n.putArray("problems")::add);
        return n;
    }

    static String show(Known k, List<String> dependents) {
        var r = k.repository();
        return "name:          " + r.name()
                + "\npath:          " + r.path()
                + "\nlanguage:      " + r.language()
                + "\nbuild:         " + orNone(r.buildCommand())
                + "\ntest:          " + orNone(r.testCommand())
                + "\ndepends on:    " + list(r.dependencies())
                + "\n  declared:    " + list(r.declaredDependencies())
                + "\n  inferred:    " + list(r.inferredDependencies())
                + "\ndependents:    " + list(dependents)
                + "\norigin:        " + r.origin()
                + "\nhead:          " + orNone(k.head())
                + "\ndiscovered at: " + k.discoveredAt()
                + "\nproblem:       " + orNone(r.problem());
    }

    /** Mermaid flowchart: an edge points from a repository to what it depends on. */
    static String mermaid(DependencyGraph g) {
        StringBuilder m = new StringBuilder("flowchart LR\n");
        Map<String, String> blocked = g.blocked();
        Set<String> inCycle = inCycles(g);
        for (String n : g.names()) {
            m.append("  ").append(id(n)).append("[\"").append(n).append(inCycle.contains(n) ? " (cycle)"
                    : blocked.containsKey(n) ? " (blocked)" : "").append("\"]\n");
        }
        for (List<String> e : g.edges()) {
            boolean cyc = inCycle.contains(e.get(0)) && inCycle.contains(e.get(1));
            m.append("  ").append(id(e.get(0))).append(cyc ? " == cycle ==> " : " --> ").append(id(e.get(1)))
                    .append('\n');
        }
        g.unknownDependencies().forEach((from, deps) -> deps.forEach(d -> m.append("  ").append(id(from))
                .append(" -.-> ").append(id("unknown " + d)).append("[\"").append(d).append(" (unknown)\"]\n")));
        if (!inCycle.isEmpty()) {
            m.append("  classDef cycle stroke:#d33,stroke-width:3px\n  class ")
                    .append(String.join(",", inCycle.stream().map(RepoViews::id).toList())).append(" cycle\n");
        }
        return m.toString().stripTrailing();
    }

    /** Graphviz dot: the same graph; cycles red, unknown dependencies dashed. */
    static String dot(DependencyGraph g) {
        StringBuilder d = new StringBuilder("digraph fleet {\n  rankdir=LR;\n");
        Set<String> inCycle = inCycles(g);
        for (String n : g.names()) {
            d.append("  ").append(quote(n)).append(inCycle.contains(n) ? " [color=red, xlabel=\"cycle\"]"
                    : g.blocked().containsKey(n) ? " [style=dashed, xlabel=\"blocked\"]" : "").append(";\n");
        }
        for (List<String> e : g.edges()) {
            boolean cyc = inCycle.contains(e.get(0)) && inCycle.contains(e.get(1));
            d.append("  ").append(quote(e.get(0))).append(" -> ").append(quote(e.get(1)))
                    .append(cyc ? " [color=red]" : "").append(";\n");
        }
        g.unknownDependencies().forEach((from, deps) -> deps.forEach(u -> d.append("  ").append(quote(from))
                .append(" -> ").append(quote(u + " (unknown)")).append(" [style=dashed];\n")));
        return d.append('}').toString();
    }

    static ObjectNode graphJson(DependencyGraph g) {
        ObjectNode n = Json.object();
        g.names().forEach(n.putArray("repositories")::add);
        ArrayNode edges = n.putArray("edges");
        g.edges().forEach(e -> edges.addObject().put("from", e.get(0)).put("to", e.get(1)));
        ArrayNode cycles = n.putArray("cycles");
        g.cycles().forEach(c -> c.forEach(cycles.addArray()::add));
        ObjectNode unknown = n.putObject("unknown_dependencies");
        g.unknownDependencies().forEach((k, v) -> v.forEach(unknown.withArray(k)::add));
        ObjectNode blocked = n.putObject("blocked");
        g.blocked().forEach(blocked::put);
        ArrayNode levels = n.putArray("levels");
        g.levels().forEach(l -> l.forEach(levels.addArray()::add));
        return n;
    }

    private static Set<String> inCycles(DependencyGraph g) {
        Set<String> s = new TreeSet<>();
        g.cycles().forEach(s::addAll);
        return s;
    }

    /** A Mermaid node id: letters, digits and underscores only (names may hold dots and dashes). */
    private static String id(String name) {
        return "r_" + name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String orNone(String s) {
        return s == null ? "-" : s;
    }

    private static String list(List<String> l) {
        return l.isEmpty() ? "-" : String.join(", ", l);
    }
}
