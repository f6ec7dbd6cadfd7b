package io.harmonix.agent.architecture.internal.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The dependency graph of a target's Java code: its modules, its top-level types and the references between them,
 * seen as edges between packages and between modules, each edge with the references that make it (its cost, when
 * a cycle has to be cut, is their number).
 */
public final class CodeGraph {
    private final Map<String, Module> modules = new TreeMap<>();
    private final Map<String, TypeInfo> types = new TreeMap<>();
    private final List<Reference> references = new ArrayList<>();
    /** package to the module holding it; a package split over modules is the first module's, by path */
    private final Map<String, String> packageModule = new TreeMap<>();

    public void addModule(Module m) {
        modules.put(m.path(), m);
    }

    public void addType(TypeInfo t) {
        types.putIfAbsent(t.name(), t);
        packageModule.merge(t.packageName(), t.module(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    public void addReference(Reference r) {
        references.add(r);
    }

    public Collection<Module> modules() {
        return modules.values();
    }

    public Optional<Module> module(String path) {
        return Optional.ofNullable(modules.get(path));
    }

    public Collection<TypeInfo> types() {
        return types.values();
    }

    public List<Reference> references() {
        return references;
    }

    /** @return true when {@code pkg} holds a type of the analysed code */
    public boolean hasPackage(String pkg) {
        return packageModule.containsKey(pkg);
    }

    /** @return the module (folder) of the package, "" when unknown */
    public String moduleOfPackage(String pkg) {
        return packageModule.getOrDefault(pkg, "");
    }

    /** @return the module's name (artifactId) for its folder */
    public String moduleName(String path) {
        Module m = modules.get(path);
        return m == null ? (path.isEmpty() ? "(root)" : path) : m.name();
    }

    /** @return the types of each package, by package name */
    public Map<String, List<TypeInfo>> packages() {
        Map<String, List<TypeInfo>> out = new TreeMap<>();
        types.values().forEach(t -> out.computeIfAbsent(t.packageName(), k -> new ArrayList<>()).add(t));
        return out;
    }

    /** @return the types of each module, by module name */
    public Map<String, List<TypeInfo>> typesByModule() {
        Map<String, List<TypeInfo>> out = new TreeMap<>();
        types.values().forEach(t -> out.computeIfAbsent(moduleName(t.module()), k -> new ArrayList<>()).add(t));
        return out;
    }

    /** @return the references between different packages, by edge, each list in file and line order */
    public Map<Edge, List<Reference>> packageEdges() {
        Map<Edge, List<Reference>> out = new TreeMap<>();
        for (Reference r : references) {
            if (!r.fromPackage().equals(r.toPackage())) {
                out.computeIfAbsent(new Edge(r.fromPackage(), r.toPackage()), k -> new ArrayList<>()).add(r);
            }
        }
        out.values().forEach(CodeGraph::sort);
        return out;
    }

    /** @return the references between different modules (by name), by edge, each list in file and line order */
    public Map<Edge, List<Reference>> moduleEdges() {
        Map<Edge, List<Reference>> out = new TreeMap<>();
        for (Reference r : references) {
            String from = moduleName(moduleOfPackage(r.fromPackage()));
            String to = moduleName(moduleOfPackage(r.toPackage()));
            if (!from.equals(to)) {
                out.computeIfAbsent(new Edge(from, to), k -> new ArrayList<>()).add(r);
            }
        }
        out.values().forEach(CodeGraph::sort);
        return out;
    }

    /** @return the module (by name) of a type's package */
    public String moduleNameOfPackage(String pkg) {
        return moduleName(moduleOfPackage(pkg));
    }

    private static void sort(List<Reference> refs) {
        refs.sort(Comparator.comparing(Reference::file).thenComparingInt(Reference::line)
                .thenComparing(Reference::toType));
    }
}
