package io.harmonix.agent.architecture.internal.graph;

/**
 * A top-level type of the analysed code.
 *
 * @param name its fully qualified name
 * @param packageName its package ("" for the unnamed package)
 * @param module the folder of the module it belongs to, relative to the target ("" for the root)
 * @param file its source file (or class file when there is no source), relative to the target
 * @param line the line of its package declaration (1 when unknown): where a finding about its package points
 * @param abstractType true for interfaces and abstract classes (Martin's abstractness counts them)
 */
public record TypeInfo(String name, String packageName, String module, String file, int line,
        boolean abstractType) {
}
