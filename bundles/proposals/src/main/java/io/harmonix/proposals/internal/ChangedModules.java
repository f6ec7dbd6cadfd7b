package io.harmonix.proposals.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a proposal changes, told to the repository's build, test and benchmark commands in their environment, so that
 * a large repository's commands can build only what the change touches: {@value #FILES} (the changed paths,
 * space-separated) and {@value #MODULES} (the folders of the nearest {@code pom.xml} above each changed file,
 * comma-separated, as Maven's {@code -pl} takes them; empty when a change lies in no module below the top, so that
 * {@code mvn ${HARMONIX_MODULES:+-pl $HARMONIX_MODULES} test} builds everything then).
 */
final class ChangedModules {
    static final String FILES = "HARMONIX_CHANGED_FILES";
    static final String MODULES = "HARMONIX_MODULES";

    private ChangedModules() {
    }

    /**
     * @return the paths a unified diff changes ({@code a/} and {@code b/} prefixes taken off), in order: the names of
     *     each file header, a {@code ---} line followed by a {@code +++} line (a removed line that starts with
     *     {@code --} inside a hunk is not one)
     */
    static Set<String> files(String diff) {
        Set<String> files = new java.util.LinkedHashSet<>();
        String[] lines = diff.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("--- ") && lines[i + 1].startsWith("+++ ")) {
                name(lines[i]).ifPresent(files::add);
                name(lines[i + 1]).ifPresent(files::add);
                i++;
            }
        }
        return files;
    }

    private static java.util.Optional<String> name(String header) {
        String path = header.substring(4).strip();
        int tab = path.indexOf('\t');
        if (tab >= 0) {
            path = path.substring(0, tab); // a timestamp after the name
        }
        if (path.equals("/dev/null")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(path.startsWith("a/") || path.startsWith("b/") ? path.substring(2) : path);
    }

    /**
     * @param hasPom whether a folder ({@code ""}: the top) holds a {@code pom.xml} in the commit concerned
     * @return the modules of the changed files, sorted; empty when one of them has none below the top
     */
    static List<String> modules(Set<String> files, java.util.function.Predicate<String> hasPom) {
        Set<String> modules = new TreeSet<>();
        for (String file : files) {
            String module = null;
            for (int slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
                String folder = file.substring(0, slash);
                if (hasPom.test(folder)) {
                    module = folder;
                    break;
                }
            }
            if (module == null) {
                return List.of(); // at the top, or in no module: the whole repository
            }
            modules.add(module);
        }
        return List.copyOf(modules);
    }

    /** @return the environment of a command run on {@code commit} of {@code repo} for a proposal of {@code diff} */
    static Map<String, String> environment(Path repo, String commit, String diff) throws IOException {
        Set<String> files = files(diff);
        Map<String, Boolean> poms = new LinkedHashMap<>();
        for (String file : files) {
            for (int slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
                String folder = file.substring(0, slash);
                if (!poms.containsKey(folder)) {
                    // cat-file on the object as stored: no program of the repository's configuration runs
                    poms.put(folder, GitCli.run(repo, null, Map.of(), "cat-file", "-e", commit + ":" + folder
                            + "/pom.xml").ok());
                }
            }
        }
        List<String> modules = modules(files, folder -> poms.getOrDefault(folder, false));
        return Map.of(FILES, String.join(" ", files), MODULES, String.join(",", modules));
    }
}
