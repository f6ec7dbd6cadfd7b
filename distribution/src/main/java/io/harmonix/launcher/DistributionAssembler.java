package io.harmonix.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step: assembles the packaged runtime {@code harmonix-VERSION/} from the feature files.
 *
 * <pre>
 * bin/      harmonix (from src/main/dist)
 * etc/      harmonix.properties and *.cfg (from src/main/dist)
 * lib/      harmonix-launcher.jar
 * system/   every bundle of the features and the launcher's class path, in Maven repository layout
 * system/features/  the feature files
 * examples/ the documentation's examples (docs/examples), so that the guide's commands work in the installation
 * deploy/ data/ log/
 * </pre>
 *
 * Arguments: features directory, repository of the module's dependencies, dist skeleton, launcher jar, output, and
 * optionally the examples directory.
 */
public final class DistributionAssembler {
    private DistributionAssembler() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5 && args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: DistributionAssembler FEATURES REPOSITORY SKELETON LAUNCHER_JAR OUT [EXAMPLES]");
        }
        assemble(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]));
        if (args.length == 6) {
            copyTree(Path.of(args[5]), Path.of(args[4]).resolve("examples"));
        }
    }

    static void assemble(Path features, Path repository, Path skeleton, Path launcherJar, Path out)
            throws IOException {
        deleteTree(out);
        copyTree(skeleton, out);
        for (String dir : List.of("deploy", "data", "log", "system/features", "lib")) {
            Files.createDirectories(out.resolve(dir));
        }
        // Everything the module depends on (feature bundles and the launcher's class path).
        copyTree(repository, out.resolve("system"));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.list(features)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Feature feature = Feature.read(file);
                for (Feature.BundleRef b : feature.bundles()) {
                    if (!Files.isRegularFile(out.resolve("system").resolve(b.repositoryPath()))) {
                        missing.add(feature.name() + " lists " + b.id());
                    }
                }
                Files.copy(file, out.resolve("system/features").resolve(file.getFileName()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException("bundles missing from the build (add each as a dependency of "
                    + "distribution/pom.xml, with the same version): " + String.join("; ", missing));
        }
        Files.copy(launcherJar, out.resolve("lib/harmonix-launcher.jar"), StandardCopyOption.REPLACE_EXISTING);
        Path script = out.resolve("bin/harmonix");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        System.out.println("assembled " + out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            all.forEach(p -> {
                Path target = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else if (!p.getFileName().toString().equals(".keep")) {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
