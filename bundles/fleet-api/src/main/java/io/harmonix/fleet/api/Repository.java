package io.harmonix.fleet.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * One repository of the fleet, as the catalogue knows it.
 *
 * @param name unique in the fleet (the manifest's {@code name}, else the folder's name)
 * @param path the local working tree or bare repository (absolute)
 * @param language {@code java}, {@code javascript}, {@code make}, ... or {@code unknown}
 * @param buildCommand run with {@code /bin/sh -c} in the repository's worktree; null when there is none
 * @param testCommand the same for its tests; null when there is none
 * @param declaredDependencies names of the repositories the manifest says this one depends on
 * @param inferredDependencies names of the repositories its build files say it depends on (Maven coordinates,
 *     npm {@code file:} and workspace dependencies)
 * @param origin where the catalogue found it: {@code manifest}, {@code discovered} or {@code both}
 * @param problem null when it opened as a git repository with a commit; else what is wrong, with its path (a
 *     repository that disappeared or fails to open stays in the catalogue with its problem, never dropped silently)
 */
public record Repository(String name, String path, String language, String buildCommand, String testCommand,
        List<String> declaredDependencies, List<String> inferredDependencies, String origin, String problem) {

    public Repository {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        declaredDependencies = List.copyOf(declaredDependencies == null ? List.of() : declaredDependencies);
        inferredDependencies = List.copyOf(inferredDependencies == null ? List.of() : inferredDependencies);
    }

    /** @return declared then inferred dependencies, each once */
    public List<String> dependencies() {
        LinkedHashSet<String> all = new LinkedHashSet<>(declaredDependencies);
        all.addAll(inferredDependencies);
        return new ArrayList<>(all);
    }

    /** @return true when it opened as a git repository with a commit */
    public boolean healthy() {
        return problem == null;
    }
}
