package io.harmonix.waves.internal;

import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The components of a target when none are given: the top-level folders of its working tree that hold code (a
 * file git tracks or would track whose extension is a source language's, or a build file). Folders of docs, data
 * and dot folders are not components: no agent has code to analyse there.
 */
final class Components {
    /** Extensions of source files and names of build files: what makes a folder hold code. */
    static final Set<String> CODE = Set.of("java", "kt", "kts", "scala", "groovy", "py", "js", "mjs", "ts", "tsx",
            "jsx", "go", "rs", "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php", "swift", "sh", "yaml", "yml",
            "sql");
    static final Set<String> BUILD_FILES = Set.of("pom.xml", "build.gradle", "package.json", "go.mod",
            "Cargo.toml", "Makefile", "bnd.bnd");

    private Components() {
    }

    /** @return the target's code-holding top-level folders, sorted */
    static List<String> of(Target target) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String file : target.files()) {
            int slash = file.indexOf('/');
            if (slash <= 0 || file.startsWith(".")) {
                continue;
            }
            String name = file.substring(file.lastIndexOf('/') + 1);
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (CODE.contains(ext) || BUILD_FILES.contains(name)) {
                out.add(file.substring(0, slash));
            }
        }
        return List.copyOf(out);
    }
}
