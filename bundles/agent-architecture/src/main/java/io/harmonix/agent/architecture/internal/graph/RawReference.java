package io.harmonix.agent.architecture.internal.graph;

/**
 * A reference as a reader saw it, before it is known whether it names a type of the analysed code.
 *
 * @param fromType the referring top-level type
 * @param fromPackage its package
 * @param name the referred name, dotted: a type ({@code a.b.C}), a member or nested type ({@code a.b.C.m}), or a
 *     package when {@code wildcard}
 * @param wildcard true for {@code import a.b.*}
 * @param file the file that makes it, relative to the target
 * @param line its line
 */
record RawReference(String fromType, String fromPackage, String name, boolean wildcard, String file, int line) {
}
