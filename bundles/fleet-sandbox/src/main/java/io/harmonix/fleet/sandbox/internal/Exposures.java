package io.harmonix.fleet.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which paths a SANDBOX command does not see ({@link Launch.Exposure}): the runtime's home, its {@code etc/} and
 * {@code data/} and the data folder it was started with ({@code --data DIR}), each wherever it really lies (a
 * symbolic link to another volume is hidden at its target too), and the configured {@code hiddenPaths}; and what
 * it sees again read-only: only the object folders the worktree's clone reads through its alternates, never the
 * whole source repository (the runtime's home may lie inside it: a runtime built in the repository it checks).
 */
final class Exposures {
    /** Alternates of alternates: a source that is itself a shared clone; deeper chains are git's own limit too. */
    private static final int ALTERNATES_DEPTH = 5;

    private Exposures() {
    }

    /**
     * @param configured the setting {@code hiddenPaths} (the runtime user's home by default: Maven's and npm's
     *     credentials, the git configuration)
     * @param data the runtime's data folder ({@code data/} of the home unless started with {@code --data DIR})
     * @return the paths to hide for a runtime whose home is {@code home}, outermost first
     */
    static List<Path> hidden(Path home, Path data, List<Path> configured) {
        Set<Path> candidates = new LinkedHashSet<>();
        addWithRealPath(candidates, home);
        addWithRealPath(candidates, home.resolve("etc"));
        addWithRealPath(candidates, home.resolve("data"));
        addWithRealPath(candidates, data);
        configured.forEach(p -> addWithRealPath(candidates, p));
        return outermost(candidates);
    }

    /**
     * @param hidden paths already chosen, kept in their order
     * @return the folders of {@code paths} that exist, each also as its real path, without one that a path before
     *     it already covers (a tmpfs over a folder hides everything inside)
     */
    static List<Path> outermost(Set<Path> paths) {
        List<Path> kept = new ArrayList<>();
        for (Path p : paths) {
            // never / itself (a service user whose home is /): that would hide the tools the build runs
            if (p.getNameCount() > 0 && Files.isDirectory(p) && kept.stream().noneMatch(p::startsWith)) {
                kept.add(p);
            }
        }
        return kept;
    }

    static void addWithRealPath(Set<Path> into, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        into.add(absolute);
        try {
            into.add(absolute.toRealPath());
        } catch (IOException e) {
            // it does not exist: nothing to hide there
        }
    }

    /**
     * @param configured the setting {@code readOnlyPaths}
     * @param alternates the object folders the worktree's clone reads
     * @return what a SANDBOX command sees again read-only: the configured folders that exist, then the alternates
     */
    static List<Path> shown(List<Path> configured, List<Path> alternates) {
        Set<Path> shown = new LinkedHashSet<>();
        for (Path p : configured) {
            // a folder that is missing is left out: bubblewrap fails the whole command on a bind of nothing
            if (Files.isDirectory(p)) {
                shown.add(p.toAbsolutePath().normalize());
            }
        }
        shown.addAll(alternates);
        return List.copyOf(shown);
    }

    /**
     * @param clone a clone made with {@code --shared}
     * @return the object folders it reads through {@code objects/info/alternates}, and theirs in turn
     */
    static List<Path> alternates(Path clone) throws IOException {
        Set<Path> found = new LinkedHashSet<>();
        List<Path> next = List.of(clone.resolve(".git/objects"));
        for (int depth = 0; depth < ALTERNATES_DEPTH && !next.isEmpty(); depth++) {
            List<Path> deeper = new ArrayList<>();
            for (Path objects : next) {
                Path file = objects.resolve("info/alternates");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    // a relative alternate is relative to the objects folder that names it
                    Path alternate = objects.resolve(line.strip()).normalize();
                    if (Files.isDirectory(alternate) && found.add(alternate)) {
                        deeper.add(alternate);
                    }
                }
            }
            next = deeper;
        }
        return List.copyOf(found);
    }
}
