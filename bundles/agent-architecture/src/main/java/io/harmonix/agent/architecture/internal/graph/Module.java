package io.harmonix.agent.architecture.internal.graph;

import java.util.List;
import java.util.Set;

/**
 * A Maven module of the target (a folder with a pom.xml), possibly an OSGi bundle.
 *
 * @param path its folder relative to the target, '/'-separated, "" for the root
 * @param name its artifactId (the folder's name when the pom has none)
 * @param bundle true when it is an OSGi bundle: a manifest with Bundle-SymbolicName in target/classes, a bnd.bnd,
 *     or the bnd or Felix bundle plugin in its pom
 * @param exports the packages it exports (from package-info.java {@code @Export}, its manifest or bnd.bnd); a name
 *     ending in {@code .*} exports the sub-packages too
 * @param manifest its built manifest relative to the target, or null
 * @param headers the OSGi headers it declares: Export-Package and Import-Package clauses with where they are
 */
public record Module(String path, String name, boolean bundle, Set<String> exports, String manifest,
        List<HeaderClause> headers) {
    public Module {
        exports = Set.copyOf(exports);
        headers = List.copyOf(headers);
    }

    /** @return true when this module exports {@code pkg} */
    public boolean exportsPackage(String pkg) {
        for (String e : exports) {
            if (e.equals(pkg) || (e.endsWith(".*") && (pkg + ".").startsWith(e.substring(0, e.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * One clause of an Export-Package or Import-Package header.
     *
     * @param header Export-Package or Import-Package
     * @param packageName the package
     * @param version its version attribute, "" when none
     * @param file the manifest or bnd.bnd it is in, relative to the target
     * @param line the line of the clause in that file
     */
    public record HeaderClause(String header, String packageName, String version, String file, int line) {
    }
}
