package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation's examples, run as written on a fresh copy of the packaged runtime, in the order a reader meets
 * them: every {@code g! COMMAND} line of docs/user-guide.md (typed into one running runtime, as a reader types them
 * into one shell; here through {@code bin/harmonix client}), and every {@code bin/harmonix exec '...'} of the
 * README. An example that is meant to fail is marked in the guide by the line {@value #FAILS} right before its code
 * block; it must then fail (exit 1, its error on stderr), and every other must succeed (exit 0, nothing on stderr).
 */
class UserGuideIT {
    static final String FAILS = "<!-- example: fails -->";
    private static final Pattern EXEC = Pattern.compile("bin/harmonix exec '([^']+)'");

    @TempDir
    Path dir;

    /** A {@code g!} line of the guide: its line number, the command, and whether it is marked to fail. */
    record Example(int line, String command, boolean fails) {
        @Override
        public String toString() {
            return "user-guide.md:" + line + ": g! " + command + (fails ? " (marked to fail)" : "");
        }
    }

    static Path docs() {
        return Path.of(System.getProperty("harmonix.docs", "../docs")).toAbsolutePath().normalize();
    }

    /** The {@code g!} lines of the fenced code blocks of a markdown text, in order. */
    static List<Example> examples(List<String> markdown) {
        List<Example> examples = new ArrayList<>();
        boolean inBlock = false;
        boolean fails = false;
        String previous = "";
        for (int i = 0; i < markdown.size(); i++) {
            String line = markdown.get(i);
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                fails = inBlock && previous.trim().equals(FAILS);
            } else if (inBlock && line.startsWith("g! ")) {
                examples.add(new Example(i + 1, line.substring(3).trim(), fails));
            }
            if (!line.isBlank()) {
                previous = line;
            }
        }
        return examples;
    }

    @Test
    void everyExampleOfTheUserGuideRunsInOrderOnAFreshInstall() throws Exception {
        List<Example> examples = examples(Files.readAllLines(docs().resolve("user-guide.md")));
        assertTrue(examples.size() >= 10, "too few g! examples found: " + examples);
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        // A g! line is typed into a running runtime: one runtime runs from the installation folder, as the README's
        // "Using the runtime" does (relative paths such as examples/ are taken from there), and each example goes
        // to it through bin/harmonix client, so that each one's exit status and error are its own.
        Process daemon = runtime.start(runtime.home, "run");
        new PackagedRuntime.Output(daemon.getErrorStream());
        PackagedRuntime.Output log = new PackagedRuntime.Output(daemon.getInputStream());
        try {
            log.await("Harmonix running");
            runEach(runtime, examples);
        } finally {
            daemon.destroy(); // SIGTERM: stops in order
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    private static void runEach(PackagedRuntime runtime, List<Example> examples) throws Exception {
        for (Example example : examples) {
            PackagedRuntime.Result r = runtime.run(runtime.home, "client", example.command());
            if (example.fails()) {
                assertEquals(1, r.exit(), example + "\n" + r);
                assertTrue(r.err().startsWith("error: "), example + "\n" + r);
            } else {
                assertEquals(0, r.exit(), example + "\n" + r);
                assertEquals("", r.err(), example + "\n" + r);
            }
        }
    }

    @Test
    void theReadmesExecCommandsRunOnAFreshInstall() throws Exception {
        String readme = Files.readString(docs().resolve("../README.md"));
        List<String> scripts = new ArrayList<>();
        for (Matcher m = EXEC.matcher(readme); m.find(); ) {
            scripts.add(m.group(1));
        }
        assertTrue(scripts.size() >= 3, "README exec commands: " + scripts);
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        for (String script : scripts) {
            PackagedRuntime.Result r = runtime.exec(script);
            assertEquals(0, r.exit(), "README: bin/harmonix exec '" + script + "'\n" + r);
            assertEquals("", r.err(), "README: bin/harmonix exec '" + script + "'\n" + r);
        }
    }

    /**
     * The guide's exec examples quoted for a POSIX shell (double quotes outside for the shell, single quotes inside
     * for Gogo) run through sh as written, and the JSON arrives whole.
     */
    @Test
    void theGuidesShellQuotedExecExamplesRunThroughSh() throws Exception {
        List<String> lines = Files.readAllLines(docs().resolve("user-guide.md")).stream()
                .filter(l -> l.startsWith("bin/harmonix exec \"")).toList();
        assertTrue(!lines.isEmpty(), "no bin/harmonix exec \"...\" example in the guide");
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        for (String line : lines) {
            Process p = new ProcessBuilder("sh", "-c", line.replace("bin/harmonix exec",
                    "bin/harmonix --stop-with-parent exec")).directory(runtime.home.toFile()).start();
            PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
            PackagedRuntime.Output err = new PackagedRuntime.Output(p.getErrorStream());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), line);
            assertEquals(0, p.exitValue(), line + "\n" + out.rest() + err.rest());
            assertEquals("", err.rest(), line);
            if (line.contains("--data")) {
                assertTrue(out.rest().contains("{\"a\":1}"), line + "\n" + out.rest());
            }
        }
    }

    /** The guide names the features booted by default as the distribution's etc/harmonix.properties has them. */
    @Test
    void theGuideNamesTheDefaultFeaturesAndEachExists() throws Exception {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(HarmonixContainer.distribution().resolve("etc/harmonix.properties"))) {
            props.load(in);
        }
        String defaults = props.getProperty("harmonix.features").replaceAll("\\s", "");
        String guide = Files.readString(docs().resolve("user-guide.md"));
        Matcher named = Pattern.compile("default `harmonix.features` in `etc/harmonix.properties`: `([^`]+)`")
                .matcher(guide);
        assertTrue(named.find(), "the guide no longer says which features are booted by default");
        assertEquals(defaults, named.group(1).replaceAll("\\s", ""));
        for (String feature : defaults.split(",")) {
            assertTrue(Files.isRegularFile(HarmonixContainer.distribution().resolve("system/features/" + feature
                    + ".json")), feature);
        }
    }
}
