package io.harmonix.fleet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a repository's build files say where the manifest is silent (language, build and test commands), and whether
 * a command the manifest names can run there at all. Build systems are tried in this order, the first that has a
 * command giving it: Maven ({@code pom.xml}), Gradle (its wrapper {@code gradlew}: a Gradle build without it depends
 * on whatever Gradle the machine has), npm ({@code package.json} scripts), a Makefile, then {@code build.sh} and
 * {@code test.sh} at the top.
 */
final class BuildDetection {
    static final String MAVEN_BUILD = "mvn -B -q -o package -DskipTests";
    static final String MAVEN_TEST = "mvn -B -q -o test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MAKEFILES = List.of("GNUmakefile", "makefile", "Makefile");
    /** A rule line: targets, a colon that is not an assignment ({@code :=}, {@code ::=}). */
    private static final Pattern RULE = Pattern.compile("^([^\\s:#=][^:#=]*?)\\s*::?(?!=)", Pattern.MULTILINE);
    private static final Pattern SEPARATORS = Pattern.compile("&&|\\|\\||;");

    /** What detection found. */
    record Detected(String language, String buildCommand, String testCommand) {
    }

    private BuildDetection() {
    }

    static Detected detect(RepoFiles files) {
        List<Detected> systems = new ArrayList<>();
        if (files.exists("pom.xml")) {
            systems.add(new Detected("java", MAVEN_BUILD, MAVEN_TEST));
        }
        if (files.exists("gradlew")) {
            String lang = files.exists("build.gradle.kts") || files.exists("settings.gradle.kts") ? "kotlin" : "java";
            systems.add(new Detected(lang, "./gradlew --offline -q assemble", "./gradlew --offline -q test"));
        }
        packageJson(files).ifPresent(pkg -> {
            JsonNode scripts = pkg.path("scripts");
            String lang = files.exists("tsconfig.json") ? "typescript" : "javascript";
            systems.add(new Detected(lang, scripts.hasNonNull("build") ? "npm run build" : null,
                    scripts.hasNonNull("test") ? "npm test" : null));
        });
        makeTargets(files).ifPresent(targets -> systems.add(new Detected(language(files, "make"),
                targets.contains("build") ? "make build" : targets.contains("all") ? "make all" : null,
                targets.contains("test") ? "make test" : targets.contains("check") ? "make check" : null)));
        if (files.exists("build.sh") || files.exists("test.sh")) {
            systems.add(new Detected(language(files, "shell"), files.exists("build.sh") ? "sh build.sh" : null,
                    files.exists("test.sh") ? "sh test.sh" : null));
        }
        String language = systems.isEmpty() ? "unknown" : systems.get(0).language();
        String build = systems.stream().map(Detected::buildCommand).filter(c -> c != null).findFirst().orElse(null);
        String test = systems.stream().map(Detected::testCommand).filter(c -> c != null).findFirst().orElse(null);
        return new Detected(language, build, test);
    }

    /**
     * Checks what can be checked of a command without running it, part by part ({@code a && b; c}): {@code mvn}
     * needs a pom.xml, {@code ./gradlew} the wrapper, {@code npm run X} a script X in package.json ({@code npm test}
     * and {@code npm start} theirs, any other {@code npm} a package.json), {@code make X} a rule for X in the
     * Makefile (plain {@code make} a Makefile), {@code sh F}, {@code bash F} and {@code ./F} the file F. Other
     * commands are not checked.
     *
     * @return what is missing, one text per part; empty when nothing checked is missing
     */
    static List<String> missing(RepoFiles files, String command) {
        List<String> missing = new ArrayList<>();
        for (String part : SEPARATORS.split(command)) {
            String[] w = part.trim().split("\\s+");
            if (w.length == 0 || w[0].isEmpty()) {
                continue;
            }
            String tool = w[0];
            String arg = firstArgument(w);
            switch (tool) {
                case "mvn", "./mvnw" -> need(missing, files.exists("pom.xml"), "'" + tool + "' needs a pom.xml at "
                        + "the top of the repository; there is none");
                case "./gradlew" -> need(missing, files.exists("gradlew"), "'./gradlew' needs the Gradle wrapper "
                        + "(gradlew) at the top of the repository; there is none");
                case "npm" -> npm(files, w, missing);
                case "make" -> make(files, arg, missing);
                case "sh", "bash" -> {
                    if (arg != null) {
                        need(missing, files.exists(strip(arg)), "'" + part.trim() + "': there is no file " + arg);
                    }
                }
                default -> {
                    if (tool.startsWith("./")) {
                        need(missing, files.exists(strip(tool)), "'" + tool + "': there is no such file");
                    }
                }
            }
        }
        return missing;
    }

    private static void npm(RepoFiles files, String[] w, List<String> missing) {
        Optional<JsonNode> pkg = packageJson(files);
        if (pkg.isEmpty()) {
            missing.add("'npm' needs a package.json at the top of the repository; there is none (or it is not JSON)");
            return;
        }
        String script = null;
        if (w.length >= 3 && (w[1].equals("run") || w[1].equals("run-script"))) {
            script = w[2];
        } else if (w.length >= 2 && (w[1].equals("test") || w[1].equals("t") || w[1].equals("start"))) {
            script = w[1].equals("t") ? "test" : w[1];
        }
        if (script != null && !pkg.get().path("scripts").hasNonNull(script)) {
            Set<String> have = new LinkedHashSet<>();
            pkg.get().path("scripts").fieldNames().forEachRemaining(have::add);
            missing.add("'npm " + String.join(" ", List.of(w).subList(1, w.length)) + "': package.json has no "
                    + "script '" + script + "' (it has: " + (have.isEmpty() ? "none" : String.join(", ", have))
                    + ")");
        }
    }

    private static void make(RepoFiles files, String target, List<String> missing) {
        Optional<Set<String>> targets = makeTargets(files);
        if (targets.isEmpty()) {
            missing.add("'make' needs a Makefile at the top of the repository; there is none");
        } else if (target != null && !targets.get().contains(target)) {
            missing.add("'make " + target + "': the Makefile has no rule for '" + target + "' (it has: "
                    + (targets.get().isEmpty() ? "none" : String.join(", ", targets.get())) + ")");
        }
    }

    private static void need(List<String> missing, boolean present, String otherwise) {
        if (!present) {
            missing.add(otherwise);
        }
    }

    /** @return the first word after the tool that is not an option, or null */
    private static String firstArgument(String[] w) {
        for (int i = 1; i < w.length; i++) {
            if (!w[i].startsWith("-") && !w[i].contains("=")) {
                return w[i];
            }
        }
        return null;
    }

    private static String strip(String path) {
        return path.startsWith("./") ? path.substring(2) : path;
    }

    static Optional<JsonNode> packageJson(RepoFiles files) {
        return files.read("package.json").flatMap(BuildDetection::json);
    }

    static Optional<JsonNode> json(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** @return the rule targets of the top Makefile (GNU make's order of names), empty when there is none */
    static Optional<Set<String>> makeTargets(RepoFiles files) {
        for (String name : MAKEFILES) {
            Optional<String> text = files.read(name);
            if (text.isPresent()) {
                Set<String> targets = new LinkedHashSet<>();
                Matcher m = RULE.matcher(text.get());
                while (m.find()) {
                    for (String t : m.group(1).trim().split("\\s+")) {
                        if (!t.startsWith(".") && !t.contains("%") && !t.contains("$")) {
                            targets.add(t);
                        }
                    }
                }
                return Optional.of(targets);
            }
        }
        return Optional.empty();
    }

    /** A Makefile or script says nothing of the language: the sources at the top might. */
    private static String language(RepoFiles files, String otherwise) {
        if (files.exists("go.mod")) {
            return "go";
        }
        if (files.exists("Cargo.toml")) {
            return "rust";
        }
        if (files.exists("pyproject.toml") || files.exists("setup.py")) {
            return "python";
        }
        if (files.exists("CMakeLists.txt")) {
            return "c++";
        }
        return otherwise;
    }
}
