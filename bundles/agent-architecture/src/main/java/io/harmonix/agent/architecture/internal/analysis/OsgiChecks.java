package io.harmonix.agent.architecture.internal.analysis;

import io.harmonix.agent.architecture.internal.graph.CodeGraph;
import io.harmonix.agent.architecture.internal.graph.Module;
import io.harmonix.agent.architecture.internal.graph.Module.HeaderClause;
import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Risk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The OSGi checks: exported packages without a version, manifest imports without a version range, and code of one
 * bundle using a package another bundle keeps private.
 */
final class OsgiChecks {
    /**
     * The JDK's packages (java.*, javax.xml.*, org.w3c.dom...): the system bundle exports them without meaningful
     * versions, so an import of one without a range is not a finding.
     */
    private static final Set<String> JDK_PACKAGES = ModuleLayer.boot().modules().stream()
            .flatMap(m -> m.getPackages().stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private OsgiChecks() {
    }

    static List<Finding> findings(Findings make, CodeGraph graph) {
        List<Finding> out = new ArrayList<>();
        for (Module m : graph.modules()) {
            Set<String> fromPackageInfo = new HashSet<>();
            m.headers().stream().filter(h -> h.file().endsWith("package-info.java"))
                    .forEach(h -> fromPackageInfo.add(h.packageName()));
            for (HeaderClause h : m.headers()) {
                if (h.header().equals("Export-Package") && h.version().isEmpty() && isPackageName(h.packageName())
                        && (h.file().endsWith("package-info.java") || !fromPackageInfo.contains(h.packageName()))) {
                    out.add(make.at(ArchitectureRules.UNVERSIONED_EXPORT, Risk.LOW, h.file(), h.line(), m.name()
                            + " exports " + h.packageName() + " without a version", clause(h),
                            "export:" + h.packageName()));
                } else if (h.header().equals("Import-Package") && h.file().endsWith("MANIFEST.MF")
                        && !isRange(h.version()) && isPackageName(h.packageName())
                        && !h.packageName().startsWith("java.") && !JDK_PACKAGES.contains(h.packageName())) {
                    out.add(make.at(ArchitectureRules.UNRANGED_IMPORT, Risk.LOW, h.file(), h.line(), m.name()
                            + " imports " + h.packageName() + (h.version().isEmpty() ? " without a version"
                            : " from version " + h.version() + " on, without an upper bound"), clause(h),
                            "import:" + h.packageName()));
                }
            }
        }
        privateImports(make, graph, out);
        return out;
    }

    /** The first reference of each bundle to each package another bundle does not export. */
    private static void privateImports(Findings make, CodeGraph graph, List<Finding> out) {
        Set<String> reported = new HashSet<>();
        for (Reference r : graph.references()) {
            Optional<Module> from = graph.module(graph.moduleOfPackage(r.fromPackage()));
            Optional<Module> to = graph.module(graph.moduleOfPackage(r.toPackage()));
            if (from.isEmpty() || to.isEmpty() || from.get().equals(to.get()) || !from.get().bundle()
                    || !to.get().bundle() || to.get().exportsPackage(r.toPackage())) {
                continue;
            }
            if (reported.add(from.get().path() + "\0" + r.toPackage())) {
                out.add(make.at(ArchitectureRules.PRIVATE_IMPORT, Risk.MEDIUM, r, "bundle " + from.get().name()
                        + " uses " + r.toPackage() + ", which bundle " + to.get().name() + " does not export",
                        "  " + r.file() + ":" + r.line() + " " + r.fromType() + " uses " + r.toType()
                                + "\n  exports of " + to.get().name() + ": " + (to.get().exports().isEmpty()
                                ? "none" : String.join(", ", new java.util.TreeSet<>(to.get().exports()))),
                        "private:" + r.fromPackage() + "|" + r.toPackage()));
            }
        }
    }

    private static String clause(HeaderClause h) {
        return h.header() + ": " + h.packageName() + (h.version().isEmpty() ? "" : ";version=\"" + h.version()
                + "\"") + "  (" + h.file() + ":" + h.line() + ")";
    }

    private static boolean isRange(String version) {
        return version.startsWith("[") || version.startsWith("(");
    }

    /** bnd instructions ({@code !a.b}, {@code a.*}, {@code ${macro}}) are not packages */
    private static boolean isPackageName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c == '.' || Character.isJavaIdentifierPart(c))
                && !name.contains("$");
    }
}
