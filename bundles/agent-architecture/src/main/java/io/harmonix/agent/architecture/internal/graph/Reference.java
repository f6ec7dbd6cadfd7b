package io.harmonix.agent.architecture.internal.graph;

/**
 * One reference of the analysed code to a class of the analysed code: what makes a dependency edge.
 *
 * @param fromType the referring top-level type (nested types count as their top-level type)
 * @param fromPackage its package
 * @param toType the referred type as written (a wildcard import names the package: {@code a.b.*})
 * @param toPackage the package of the referred type
 * @param file the file that makes it (the source file when known, else the class file), relative to the target
 * @param line the line of its first use or of its import; 1 when neither is known
 */
public record Reference(String fromType, String fromPackage, String toType, String toPackage, String file,
        int line) {
    @Override
    public String toString() {
        return file + ":" + line + " " + fromType + " -> " + toType;
    }
}
