package io.harmonix.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import io.harmonix.launcher.Feature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot the bundles of the given features exactly as the packaged runtime does: the bundle
 * list and start levels come from the feature files, the jars from the assembled distribution's system/.
 */
public final class HarmonixContainer {
    /** Framework property: URL of the sample agent bundle's jar. */
    static final String SAMPLE_AGENT_JAR = "harmonix.itest.sample-agent";
    private HarmonixContainer() {
    }

    public static Path distribution() {
        String dir = System.getProperty("harmonix.dist");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("system property harmonix.dist must name the assembled distribution "
                    + "(run through Maven: mvn verify); was " + dir);
        }
        return Path.of(dir);
    }

    static Path jar(String artifactId) {
        try {
            for (String feature : List.of("harmonix-core", "harmonix-samples")) {
                for (Feature.BundleRef b : Feature.read(featureFile(feature)).bundles()) {
                    if (b.artifactId().equals(artifactId)) {
                        return distribution().resolve("system").resolve(b.repositoryPath());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no feature lists " + artifactId);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path featureFile(String name) {
        return distribution().resolve("system/features").resolve(name + ".json");
    }

    static Option boot(String testName, String... features) {
        List<Option> options = new ArrayList<>();
        try {
            for (String name : features) {
                for (Feature.BundleRef b : Feature.read(featureFile(name)).bundles()) {
                    Path jar = distribution().resolve("system").resolve(b.repositoryPath());
                    options.add(bundle(jar.toUri().toString()).startLevel(b.startOrder()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Pax Exam's own bundles and the probe start at levels 50 and 80 of its default framework level, after
        // the feature bundles (levels 1 to 4).
        Path work = Path.of("target/paxexam", testName).toAbsolutePath();
        options.add(junitBundles());
        options.add(systemPackage("org.slf4j;version=1.7.36"));
        // tests inside the container find the sample agent's jar here, to install it at run time
        options.add(frameworkProperty(SAMPLE_AGENT_JAR).value(jar("io.harmonix.agent.files").toUri().toString()));
        options.add(frameworkProperty("harmonix.home").value(work.toString()));
        // every container starts on an empty data folder: no journal or state of an earlier test
        Path data = work.resolve("data");
        deleteTree(data);
        options.add(frameworkProperty("harmonix.data").value(data.toString()));
        options.add(frameworkProperty("harmonix.log.dir").value(work.resolve("log").toString()));
        options.add(frameworkProperty("felix.log.level").value("1")); // the framework prints its errors
        options.add(frameworkProperty("gosh.args").value("--nointeractive --noshutdown"));
        options.add(frameworkProperty("org.osgi.service.log.admin.loglevel").value("INFO"));
        options.add(workingDirectory(work.resolve("container").toString()));
        options.add(cleanCaches(true));
        return composite(options.toArray(new Option[0]));
    }
}
