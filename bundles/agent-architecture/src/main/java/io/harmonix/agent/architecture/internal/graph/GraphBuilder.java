package io.harmonix.agent.architecture.internal.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Builds the {@link CodeGraph} of a target: for each module, its compiled classes when target/classes holds any
 * (ASM), else its main sources (JavaParser); then keeps the references that name a type of the analysed code.
 * Test sources and files of other languages are counted as not analysed.
 */
public final class GraphBuilder {
    /** Called as the build goes: units (class or source files) done, and their total. */
    public interface Progress {
        void update(int done, int total);
    }

    /**
     * What was built.
     *
     * @param graph the graph
     * @param analysed units (class or source files) read
     * @param total units to read
     * @param partial true when the deadline stopped it early
     * @param notAnalysed files not analysed, by kind
     * @param modes each module's folder and how it was read: "classes" or "sources"
     */
    public record Result(CodeGraph graph, int analysed, int total, boolean partial, Map<String, Integer> notAnalysed,
            Map<String, String> modes) {
    }

    private record Unit(String file, String module, String sourceRoot, boolean compiled) {
    }

    private GraphBuilder() {
    }

    /**
     * @param files the target's files (relative, as {@link io.harmonix.enhance.api.Target#files()} lists them)
     * @param stop true when the build must stop (the cycle's deadline passed)
     */
    public static Result build(Path root, List<String> files, BooleanSupplier stop, Progress progress)
            throws IOException {
        Map<String, Integer> notAnalysed = new TreeMap<>();
        Map<String, Module> modules = ModuleScanner.scan(root, files, notAnalysed);
        CodeGraph graph = new CodeGraph();
        modules.values().forEach(graph::addModule);
        Map<String, String> modes = new LinkedHashMap<>();
        List<Unit> units = new ArrayList<>();
        for (String module : modules.keySet()) {
            String prefix = module.isEmpty() ? "" : module + "/";
            Path classes = root.resolve(prefix + "target/classes");
            List<String> compiled = classFiles(root, classes);
            modes.put(module, compiled.isEmpty() ? "sources" : "classes");
            compiled.forEach(c -> units.add(new Unit(c, module, prefix + "src/main/java", true)));
        }
        for (String f : files) {
            String module = ModuleScanner.moduleOf(f, modules.keySet());
            String prefix = module.isEmpty() ? "" : module + "/";
            boolean mainSource = f.endsWith(".java") && f.startsWith(prefix + "src/main/java/");
            if (mainSource && modules.containsKey(module) && modes.get(module).equals("sources")) {
                units.add(new Unit(f, module, prefix + "src/main/java", false));
            } else if (!mainSource && !isBuildFile(f)) {
                notAnalysed.merge(kind(f), 1, Integer::sum);
            }
        }
        List<RawReference> raw = new ArrayList<>();
        SourceReader sources = new SourceReader();
        BytecodeReader bytecode = new BytecodeReader(root, files);
        int done = 0;
        boolean partial = false;
        for (Unit u : units) {
            if (stop.getAsBoolean()) {
                partial = true;
                break;
            }
            if (u.compiled()) {
                bytecode.read(u.file(), u.module(), u.sourceRoot(), graph::addType, raw::add);
            } else {
                String notRead = sources.read(root, u.file(), u.module(), graph::addType, raw::add);
                if (notRead != null) {
                    notAnalysed.merge(notRead, 1, Integer::sum);
                }
            }
            done++;
            progress.update(done, units.size());
        }
        resolve(graph, raw);
        return new Result(graph, done, units.size(), partial, notAnalysed, modes);
    }

    /** Keeps the references to types (or, for a wildcard import, packages) of the analysed code, once each. */
    private static void resolve(CodeGraph graph, List<RawReference> raw) {
        java.util.Set<String> typeNames = new java.util.HashSet<>();
        graph.types().forEach(t -> typeNames.add(t.name()));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RawReference r : raw) {
            String type = r.wildcard() && graph.hasPackage(r.name()) ? r.name() + ".*" : typeOf(r.name(), typeNames);
            if (type == null || type.equals(r.fromType())) {
                continue;
            }
            String pkg = type.substring(0, Math.max(0, type.lastIndexOf('.')));
            // one reference per referring file and referred type: an import and a use of it are one dependency
            if (seen.add(r.file() + "\0" + r.fromType() + "\0" + type)) {
                graph.addReference(new Reference(r.fromType(), r.fromPackage(), type, pkg, r.file(), r.line()));
            }
        }
    }

    /** The analysed type a dotted name starts with (a.b.C for a.b.C, a.b.C.Inner or a.b.C.member), or null. */
    private static String typeOf(String name, java.util.Set<String> typeNames) {
        String candidate = name;
        while (true) {
            if (typeNames.contains(candidate)) {
                return candidate;
            }
            int dot = candidate.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            candidate = candidate.substring(0, dot);
        }
    }

    private static List<String> classFiles(Path root, Path classes) throws IOException {
        if (!Files.isDirectory(classes)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(classes)) {
            return walk.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    private static boolean isBuildFile(String f) {
        String name = f.substring(f.lastIndexOf('/') + 1);
        return ModuleScanner.isModulePom(f) || name.equals("bnd.bnd") || name.equals("MANIFEST.MF");
    }

    private static String kind(String f) {
        if (f.endsWith(".java")) {
            return f.contains("/src/test/") || f.startsWith("src/test/") ? "java (tests)"
                    : "java (outside a module's src/main/java)";
        }
        String name = f.substring(f.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "(no extension)" : name.substring(dot + 1);
    }
}
