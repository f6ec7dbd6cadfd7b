package io.harmonix.agent.architecture.internal.analysis;

import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import java.util.List;

/** The rules of the architecture agent: what enhance:rules lists and SARIF describes. */
public final class ArchitectureRules {
    public static final Rule CYCLE = new Rule("cycle", "Dependency cycle", "Packages or modules that depend on "
            + "each other in a cycle (a strongly connected component of the dependency graph).", "A cycle makes its "
            + "members one unit: none can be understood, tested, versioned or released alone. Cut the edges the "
            + "finding names (a minimum feedback arc set by references: exact for small cycles, greedy for large "
            + "ones): move the used "
            + "type, invert the dependency with an interface in the used side's API, or merge the packages.",
            Severity.MEDIUM);
    public static final Rule DISTANCE = new Rule("distance-outlier", "Far from the main sequence", "A package "
            + "whose distance D = |A + I - 1| from Martin's main sequence is above the threshold.", "Near D = 1 at "
            + "A = 0, I = 0 a package is concrete and depended upon (painful to change); at A = 1, I = 1 it is "
            + "abstract and unused. Extract interfaces others depend on, or move concrete code out of a stable "
            + "package.", Severity.LOW);
    public static final Rule LAYERING = new Rule("layering", "Layering rule broken", "A dependency a layering rule "
            + "(.harmonix/architecture.rules or the agent's configuration) denies.", "Depend on the allowed side: "
            + "use the other module's exported API instead of its internals, or move the code to the layer that may "
            + "use it. Change the rule only if the architecture itself changed.", Severity.MEDIUM);
    public static final Rule UNVERSIONED_EXPORT = new Rule("unversioned-export", "Exported package without a "
            + "version", "An OSGi bundle exports a package without a version (package-info.java with @Export but "
            + "no @Version, or an Export-Package clause without version).", "Without a version importers cannot "
            + "state a range and semantic versioning and baselining cannot work: add @Version(\"1.0.0\") to its "
            + "package-info.java.", Severity.MEDIUM);
    public static final Rule UNRANGED_IMPORT = new Rule("unranged-import", "Import without a version range", "A "
            + "bundle's manifest imports a package without a version range ([1.2,2)).", "An import without a range "
            + "accepts any future major version, so a breaking change resolves silently: export the package with a "
            + "version (bnd then writes the range), or give the range in Import-Package.", Severity.LOW);
    public static final Rule PRIVATE_IMPORT = new Rule("private-import", "Use of another bundle's private package",
            "Code of one bundle uses a package another bundle does not export.", "In the OSGi framework the class "
            + "will not be found (it is private to its bundle): use the bundle's exported API, or export the "
            + "package with a version if it is meant to be API.", Severity.HIGH);
    public static final Rule NEW_CYCLE = new Rule("new-cycle", "New dependency cycle", "A dependency cycle that "
            + "was not there in the agent's previous cycle on the same target.", "The change since the previous "
            + "cycle introduced it: cut it now, while the edge has few references.", Severity.HIGH);
    public static final Rule INSTABILITY_GROWTH = new Rule("instability-growth", "Module instability grew",
            "A module's instability I = Ce / (Ca + Ce) grew by more than the threshold since the agent's previous "
            + "cycle.", "The module now depends on more of the code than before relative to what depends on it; "
            + "check that the new dependencies belong there.", Severity.LOW);

    public static final List<Rule> ALL = List.of(CYCLE, DISTANCE, LAYERING, UNVERSIONED_EXPORT, UNRANGED_IMPORT,
            PRIVATE_IMPORT, NEW_CYCLE, INSTABILITY_GROWTH);

    private ArchitectureRules() {
    }
}
