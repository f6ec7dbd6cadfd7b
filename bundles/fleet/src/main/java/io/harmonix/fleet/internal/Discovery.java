package io.harmonix.fleet.internal;

import io.harmonix.fleet.api.DependencyGraph;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One discovery, from the previous catalogue to the next: the manifest's repositories, then those under the roots
 * that the manifest does not name (matched by path), each opened with git; detection where the manifest is
 * silent, inference across them all. A repository of the previous catalogue that is not found again, or no longer
 * opens, stays with its problem and its last known commands and dependencies (so builds and graphs still see it),
 * and is reported as vanished when it was healthy before.
 */
final class Discovery {
    /** Progress is told every this many repositories, on fleets larger than that. */
    static final int PROGRESS_EVERY = 25;
    /**
     * What a repository's name may be: the manifest schema's {@code name} pattern. A folder found under a root is
     * named after itself, and a folder named {@code -x} (taken for an option by {@code repo:show -x}), or with a
     * newline or {@code |} (breaking a line or a table of the index files) would otherwise pass as a name.
     */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** The catalogue a discovery leaves, and its report. */
    record Result(List<Known> catalogue, DiscoveryReport report) {
    }

    private record Candidate(String name, Path path, Manifest.Entry entry, boolean discovered) {
    }

    private final FleetSettings settings;
    private final Path home;
    private final Instant now;
    private final List<String> problems = new ArrayList<>();

    Discovery(FleetSettings settings, Path home, Instant now) {
        this.settings = settings;
        this.home = home;
        this.now = now;
    }

    Result run(List<Known> previousCatalogue, Consumer<String> progress) {
        Map<String, Known> previous = new LinkedHashMap<>();
        previousCatalogue.forEach(k -> previous.put(k.name(), k));
        Manifest manifest = Manifest.read(home.resolve(settings.manifest()), settings.manifest(), home);
        problems.addAll(manifest.problems());
        if (!manifest.usable()) {
            problems.add(settings.manifest() + ": the catalogue is left as it was (" + previous.size()
                    + " repositories) until the manifest is corrected");
            return new Result(previousCatalogue, new DiscoveryReport(now, repositories(previousCatalogue), List.of(),
                    List.of(), problems));
        }
        List<Candidate> candidates = candidates(manifest);
        Map<String, Known> next = new TreeMap<>();
        Map<String, RepoFiles> opened = new LinkedHashMap<>();
        List<String> vanished = new ArrayList<>();
        int done = 0;
        for (Candidate c : candidates) {
            Known k = open(c, manifest, previous.get(c.name()), opened);
            next.put(c.name(), k);
            if (!k.repository().healthy() && previous.containsKey(c.name())
                    && previous.get(c.name()).repository().healthy()) {
                vanished.add(c.name());
            }
            if (++done % PROGRESS_EVERY == 0 && candidates.size() > PROGRESS_EVERY) {
                progress.accept("inspected " + done + "/" + candidates.size() + " repositories");
            }
        }
        for (Known old : previous.values()) {
            if (!next.containsKey(old.name())) {
                Path p = Path.of(old.repository().path());
                String why = Files.exists(p) ? p + ": no longer named by the manifest nor found under a root"
                        : p + ": no longer there";
                next.put(old.name(), withProblem(old, why));
                problems.add(old.name() + ": " + why);
                if (old.repository().healthy()) {
                    vanished.add(old.name());
                }
            }
        }
        inferAndCheck(next, opened, manifest);
        List<Known> catalogue = new ArrayList<>(next.values());
        DependencyGraph graph = DependencyGraph.of(repositories(catalogue));
        for (List<String> cycle : graph.cycles()) {
            problems.add("dependency cycle " + String.join(" -> ", cycle) + ": these repositories and those "
                    + "depending on them cannot build (expected dependencies without a cycle)");
        }
        List<String> added = next.keySet().stream().filter(n -> !previous.containsKey(n)).toList();
        return new Result(catalogue, new DiscoveryReport(now, repositories(catalogue), added,
                vanished.stream().sorted().toList(), problems));
    }

    /** The manifest's entries, then each repository under the roots at a path no entry names. */
    private List<Candidate> candidates(Manifest manifest) {
        Map<Path, Candidate> byPath = new LinkedHashMap<>();
        Map<String, Candidate> byName = new HashMap<>();
        for (Manifest.Entry e : manifest.entries()) {
            Candidate c = new Candidate(e.name(), e.path(), e, false);
            byPath.put(real(e.path()), c);
            byName.put(e.name(), c);
        }
        List<Path> roots = settings.roots().stream().map(home::resolve).toList();
        RootScanner.Found found = RootScanner.scan(roots, settings.depth());
        problems.addAll(found.problems());
        for (Path p : found.repositories()) {
            Path key = real(p);
            Candidate named = byPath.get(key);
            if (named != null) {
                byPath.put(key, new Candidate(named.name(), named.path(), named.entry(), true));
                continue;
            }
            String name = p.getFileName().toString().replaceFirst("\\.git$", "");
            if (!NAME.matcher(name).matches()) {
                problems.add(visible(p.toString()) + ": left out, its folder's name '" + visible(name)
                        + "' is no repository name (expected letters, digits, '.', '_' and '-', starting with a "
                        + "letter or digit, at most 100; name it in the manifest to keep it)");
                continue;
            }
            Candidate other = byName.get(name);
            if (other != null) {
                problems.add(p + ": left out, its name '" + name + "' is already the repository at " + other.path()
                        + " (name it in the manifest to keep both)");
                continue;
            }
            Candidate c = new Candidate(name, p, null, true);
            byPath.put(key, c);
            byName.put(name, c);
        }
        return new ArrayList<>(byPath.values());
    }

    private Known open(Candidate c, Manifest manifest, Known before, Map<String, RepoFiles> opened) {
        Manifest.Entry e = c.entry();
        String origin = e == null ? "discovered" : c.discovered() ? "both" : "manifest";
        String problem = null;
        String head = null;
        RepoFiles files = null;
        if (!Files.isDirectory(c.path())) {
            problem = c.path() + ": no such folder (expected a git working tree or bare repository)";
        } else if (!Git.isRepository(c.path())) {
            problem = c.path() + ": not a git repository (expected a working tree or a bare repository)";
        } else {
            try {
                head = Git.head(c.path(), settings.gitTimeout());
                files = RepoFiles.of(c.path(), settings.gitTimeout());
            } catch (Git.NotOwned ex) {
                problem = c.path() + ": " + ex.getMessage();
            } catch (IOException ex) {
                problem = c.path() + ": git cannot read its HEAD commit (" + ex.getMessage() + ")";
            }
        }
        if (problem != null) {
            problems.add(e == null ? c.name() + ": " + problem
                    : manifest.problem(e.pointer() + "/path", c.name() + ": " + problem));
            Repository keep = before == null ? new Repository(c.name(), c.path().toString(),
                    e == null || e.language() == null ? "unknown" : e.language(), e == null ? null : e.buildCommand(),
                    e == null ? null : e.testCommand(), e == null ? null : e.dependencies(), null, origin, null)
                    : before.repository();
            Repository r = new Repository(c.name(), c.path().toString(), keep.language(), keep.buildCommand(),
                    keep.testCommand(), e == null ? keep.declaredDependencies() : e.dependencies(),
                    keep.inferredDependencies(), origin, problem);
            return new Known(r, before == null ? null : before.head(), before == null ? now : before.discoveredAt());
        }
        opened.put(c.name(), files);
        BuildDetection.Detected d = BuildDetection.detect(files);
        String build = e != null && e.buildCommand() != null ? e.buildCommand() : d.buildCommand();
        String test = e != null && e.testCommand() != null ? e.testCommand() : d.testCommand();
        if (e != null) {
            checkCommand(manifest, e, files, "build_command", e.buildCommand());
            checkCommand(manifest, e, files, "test_command", e.testCommand());
        }
        String language = e != null && e.language() != null ? e.language() : d.language();
        return new Known(new Repository(c.name(), c.path().toString(), language, build, test,
                e == null ? List.of() : e.dependencies(), List.of(), origin, null), head, now);
    }

    private void checkCommand(Manifest manifest, Manifest.Entry e, RepoFiles files, String field, String command) {
        if (command == null) {
            return;
        }
        for (String missing : BuildDetection.missing(files, command)) {
            problems.add(manifest.problem(e.pointer() + "/" + field, e.name() + ": " + field + " " + missing));
        }
    }

    /** Inferred dependencies of the repositories that opened; unknown declared dependencies named where declared. */
    private void inferAndCheck(Map<String, Known> next, Map<String, RepoFiles> opened, Manifest manifest) {
        List<DependencyInference.Input> inputs = new ArrayList<>();
        opened.forEach((name, files) -> inputs.add(new DependencyInference.Input(name,
                Path.of(next.get(name).repository().path()), files)));
        Map<String, List<String>> inferred = DependencyInference.infer(inputs);
        inferred.forEach((name, deps) -> {
            Known k = next.get(name);
            Repository r = k.repository();
            next.put(name, new Known(new Repository(r.name(), r.path(), r.language(), r.buildCommand(),
                    r.testCommand(), r.declaredDependencies(), deps, r.origin(), r.problem()), k.head(),
                    k.discoveredAt()));
        });
        for (Manifest.Entry e : manifest.entries()) {
            for (int i = 0; i < e.dependencies().size(); i++) {
                String dep = e.dependencies().get(i);
                if (!next.containsKey(dep)) {
                    problems.add(manifest.problem(e.pointer() + "/dependencies/" + i, e.name() + ": depends on '"
                            + dep + "', which is no repository of the fleet (expected one of: "
                            + String.join(", ", next.keySet()) + ")"));
                }
            }
        }
    }

    private Known withProblem(Known old, String problem) {
        Repository r = old.repository();
        return new Known(new Repository(r.name(), r.path(), r.language(), r.buildCommand(), r.testCommand(),
                r.declaredDependencies(), r.inferredDependencies(), r.origin(), problem), old.head(),
                old.discoveredAt());
    }

    private static List<Repository> repositories(List<Known> catalogue) {
        return catalogue.stream().map(Known::repository).toList();
    }

    // A control character of a folder's name shown as an escape, so that the problem stays one line.
    private static String visible(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return b.toString();
    }

    /** Paths are compared as the file system resolves them (a root given through a link, a trailing "/."). */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
