package io.harmonix.agent.security.internal.deps;

/**
 * A dependency declared in a manifest.
 *
 * @param ecosystem {@code Maven} or {@code npm}
 * @param name {@code group:artifact} or the npm package name
 * @param version the version checked; null when it could not be resolved
 * @param origin how the version was found ({@code "property log4j.version"}, {@code "lowest version ^4.17.0
 *     allows"}); for an unresolved one, why it could not be
 * @param file the manifest, relative to the target's root
 * @param line the line of the declaration, 1-based
 */
public record Dependency(String ecosystem, String name, String version, String origin, String file, int line) {
    /** @return true when the version is known and can be checked */
    public boolean resolved() {
        return version != null;
    }
}
