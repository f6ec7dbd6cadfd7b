package io.harmonix.agent.security.internal;

import io.harmonix.agent.security.internal.deps.AdvisoryStore;
import io.harmonix.agent.security.internal.deps.Dependency;
import io.harmonix.agent.security.internal.deps.DependencyCheck;
import io.harmonix.agent.security.internal.deps.MavenPoms;
import io.harmonix.agent.security.internal.deps.NpmManifests;
import io.harmonix.agent.security.internal.javaapi.InsecureApiScanner;
import io.harmonix.agent.security.internal.secrets.HistoryScanner;
import io.harmonix.agent.security.internal.secrets.SecretMatch;
import io.harmonix.agent.security.internal.secrets.SecretRule;
import io.harmonix.agent.security.internal.secrets.SecretScanner;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * One scan of a target by the security agent: every file of the target once (secrets, manifests, Java sources),
 * then the history. The deadline is checked between files and between commits; stopping early gives a partial
 * analysis of what was done.
 */
final class SecurityScan {
    /** How often progress is reported, in files. */
    static final int PROGRESS_EVERY = 25;
    /** Languages the insecure-API rules do not read (their files are still scanned for secrets). */
    private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("kt", "kotlin"),
            Map.entry("kts", "kotlin"), Map.entry("scala", "scala"), Map.entry("groovy", "groovy"),
            Map.entry("js", "javascript"), Map.entry("mjs", "javascript"), Map.entry("jsx", "javascript"),
            Map.entry("ts", "typescript"), Map.entry("tsx", "typescript"), Map.entry("py", "python"),
            Map.entry("go", "go"), Map.entry("rb", "ruby"), Map.entry("rs", "rust"), Map.entry("c", "c"),
            Map.entry("h", "c"), Map.entry("cpp", "c++"), Map.entry("cc", "c++"), Map.entry("hpp", "c++"),
            Map.entry("cs", "c#"), Map.entry("php", "php"), Map.entry("swift", "swift"), Map.entry("sh", "shell"));

    /** What the scan does, from the agent's configuration. */
    record Settings(boolean secrets, boolean history, boolean dependencies, boolean insecureApi,
            Set<String> disabled, SecretScanner scanner, long maxFileBytes) {
    }

    /** Where progress goes: files done of total. */
    interface Progress {
        void update(int done, int total);
    }

    private final Settings settings;
    private final AdvisoryStore advisories;
    private final SecurityFindings findings;
    private final InsecureApiScanner javaRules;

    SecurityScan(Settings settings, AdvisoryStore advisories) {
        this.settings = settings;
        this.advisories = advisories;
        this.findings = new SecurityFindings();
        this.javaRules = new InsecureApiScanner(settings.disabled());
    }

    Analysis run(Target target, BooleanSupplier stop, Progress progress) throws IOException, SQLException {
        List<String> files = target.files();
        List<Finding> found = new ArrayList<>();
        Map<String, Integer> notAnalysed = new TreeMap<>();
        Set<String> treeSecrets = new HashSet<>();
        MavenPoms poms = new MavenPoms(target.root());
        DependencyCheck check = advisories == null ? null : new DependencyCheck(advisories);
        int done = 0;
        boolean partial = false;
        for (String file : files) {
            if (stop.getAsBoolean()) {
                partial = true;
                break;
            }
            String component = target.componentOf(file);
            Path path = target.root().resolve(file);
            byte[] bytes = read(path);
            if (bytes == null) {
                notAnalysed.merge(Files.exists(path) ? "too large" : "gone while scanning", 1, Integer::sum);
            } else {
                if (binary(bytes)) {
                    binaryFile(file, component, found, notAnalysed);
                } else {
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    if (settings.secrets()) {
                        SecretScanner.Result r = settings.scanner().scan(file, text, 1);
                        for (SecretMatch m : r.matches()) {
                            treeSecrets.add(m.rule().id() + "\n" + m.secretHash());
                            found.add(findings.secret(file, component, m, null));
                        }
                        if (r.timedOut()) {
                            notAnalysed.merge("secrets: regex time budget spent", 1, Integer::sum);
                        }
                    }
                    if (settings.dependencies()) {
                        manifest(target.root(), file, component, poms, check, found, notAnalysed);
                    }
                    javaSource(file, component, text, found, notAnalysed);
                }
            }
            done++;
            if (done % PROGRESS_EVERY == 0) {
                progress.update(done, files.size());
            }
        }
        if (!partial && settings.secrets() && settings.history()) {
            HistoryScanner.Result h = new HistoryScanner(settings.scanner()).scan(target.root(),
                    target.components(), stop);
            partial = h.partial();
            if (h.timedOut() > 0) {
                notAnalysed.merge("secrets in history: regex time budget spent", h.timedOut(), Integer::sum);
            }
            history(h, target, treeSecrets, found);
        }
        progress.update(done, files.size());
        found.removeIf(f -> settings.disabled().contains(f.ruleId()));
        return new Analysis(found, List.of(), done, files.size(), partial, notAnalysed);
    }

    /** A secret the history holds and the tree no longer does: once per rule, secret and file, at its oldest commit. */
    private void history(HistoryScanner.Result h, Target target, Set<String> treeSecrets, List<Finding> found) {
        Map<String, HistoryScanner.HistoryMatch> oldest = new LinkedHashMap<>();
        for (HistoryScanner.HistoryMatch m : h.matches()) {
            String key = m.match().rule().id() + "\n" + m.match().secretHash();
            if (!treeSecrets.contains(key)) {
                oldest.put(key + "\n" + m.file(), m); // git log lists newest first: the last one seen is the oldest
            }
        }
        for (HistoryScanner.HistoryMatch m : oldest.values()) {
            found.add(findings.secret(m.file(), target.componentOf(m.file()), m.match(), m.commit()));
        }
    }

    private void binaryFile(String file, String component, List<Finding> found, Map<String, Integer> notAnalysed) {
        List<SecretRule> rules = settings.secrets() ? settings.scanner().pathOnlyRules(file) : List.of();
        if (rules.isEmpty()) {
            notAnalysed.merge("binary", 1, Integer::sum);
        }
        for (SecretRule r : rules) {
            found.add(findings.secretFile(file, component, r));
        }
    }

    private void manifest(Path root, String file, String component, MavenPoms poms, DependencyCheck check,
            List<Finding> found, Map<String, Integer> notAnalysed) throws SQLException {
        String name = file.substring(file.lastIndexOf('/') + 1);
        List<Dependency> deps;
        try {
            if (name.equals("pom.xml")) {
                deps = poms.dependencies(file);
            } else if (name.equals("package-lock.json") || name.equals("npm-shrinkwrap.json")
                    || name.equals("package.json") && !Files.exists(root.resolve(file).resolveSibling(
                            "package-lock.json"))) {
                deps = NpmManifests.dependencies(root, file);
            } else {
                return;
            }
        } catch (IOException e) {
            found.add(findings.unreadableManifest(file, component, e.getMessage()));
            return;
        }
        if (check == null) {
            notAnalysed.merge("dependencies: no advisory store", 1, Integer::sum);
            return;
        }
        for (Dependency d : deps) {
            if (!d.resolved()) {
                found.add(findings.unchecked(d, component, d.origin()));
                continue;
            }
            try {
                for (DependencyCheck.Hit hit : check.check(d)) {
                    found.add(findings.vulnerable(hit, component));
                }
            } catch (IllegalArgumentException e) {
                found.add(findings.unchecked(d, component, e.getMessage()));
            }
        }
    }

    private void javaSource(String file, String component, String text, List<Finding> found,
            Map<String, Integer> notAnalysed) {
        String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (!settings.insecureApi()) {
            return;
        }
        if (!ext.equals("java") || file.lastIndexOf('.') < file.lastIndexOf('/')) {
            String language = file.lastIndexOf('.') > file.lastIndexOf('/') ? LANGUAGES.get(ext) : null;
            if (language != null) {
                notAnalysed.merge(language, 1, Integer::sum);
            }
            return;
        }
        List<InsecureApiScanner.Hit> hits = javaRules.scan(text);
        if (hits == null) {
            notAnalysed.merge("java (does not parse as Java 17)", 1, Integer::sum);
            return;
        }
        for (InsecureApiScanner.Hit hit : hits) {
            found.add(findings.insecureApi(file, component, hit));
        }
    }

    /** @return the file's bytes; null when it is larger than the limit or went away since git listed it */
    private byte[] read(Path path) throws IOException {
        try {
            return Files.size(path) > settings.maxFileBytes() ? null : Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** A NUL byte in the first 8 KiB: what git itself takes as binary. */
    private static boolean binary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
