package io.harmonix.fleet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Dependencies between repositories that their build files say. Maven: the groupId:artifactId of every pom of a
 * repository (its top pom.xml and its modules, recursively) belongs to it; a pom of another repository that
 * depends on those coordinates (dependencies, dependencyManagement or parent) depends on it. npm: the package
 * name of a repository's package.json and of its workspace packages belongs to it; another package that depends on
 * that name (dependencies, devDependencies, peerDependencies, optionalDependencies), or whose {@code file:}
 * dependency resolves into its folder, depends on it. A repository never depends on itself here.
 */
final class DependencyInference {
    private static final List<String> NPM_DEPENDENCIES =
            List.of("dependencies", "devDependencies", "peerDependencies", "optionalDependencies");
    private static final int MAX_POMS = 500;

    /** One repository as inference sees it. */
    record Input(String name, Path path, RepoFiles files) {
    }

    private DependencyInference() {
    }

    /** @return each repository's inferred dependencies by name, sorted */
    static Map<String, List<String>> infer(List<Input> repositories) {
        Map<String, String> owner = new HashMap<>(); // coordinates or package name -> repository
        Map<String, Set<String>> wants = new LinkedHashMap<>(); // repository -> coordinates or names it uses
        Map<String, Set<Path>> fileDeps = new HashMap<>();
        for (Input r : repositories) {
            Set<String> used = new HashSet<>();
            for (Poms.Pom pom : poms(r.files())) {
                owner.putIfAbsent("maven:" + pom.coordinates(), r.name());
                pom.dependsOn().forEach(d -> used.add("maven:" + d));
            }
            for (Map.Entry<String, JsonNode> pkg : packages(r.files()).entrySet()) {
                JsonNode json = pkg.getValue();
                if (json.path("name").isTextual()) {
                    owner.putIfAbsent("npm:" + json.get("name").asText(), r.name());
                }
                Path folder = r.path().resolve(pkg.getKey()).normalize();
                for (String field : NPM_DEPENDENCIES) {
                    json.path(field).fields().forEachRemaining(e -> {
                        used.add("npm:" + e.getKey());
                        String v = e.getValue().asText("");
                        if (v.startsWith("file:")) {
                            fileDeps.computeIfAbsent(r.name(), k -> new HashSet<>())
                                    .add(folder.resolve(v.substring(5)).normalize());
                        }
                    });
                }
            }
            wants.put(r.name(), used);
        }
        Map<String, List<String>> inferred = new LinkedHashMap<>();
        for (Input r : repositories) {
            Set<String> deps = new TreeSet<>();
            for (String u : wants.get(r.name())) {
                String o = owner.get(u);
                if (o != null && !o.equals(r.name())) {
                    deps.add(o);
                }
            }
            for (Path target : fileDeps.getOrDefault(r.name(), Set.of())) {
                for (Input other : repositories) {
                    if (!other.name().equals(r.name()) && target.startsWith(other.path().normalize())) {
                        deps.add(other.name());
                    }
                }
            }
            inferred.put(r.name(), new ArrayList<>(deps));
        }
        return inferred;
    }

    /** The top pom.xml and its modules, breadth first; a module loop or a very large reactor stops the walk. */
    static List<Poms.Pom> poms(RepoFiles files) {
        List<Poms.Pom> found = new ArrayList<>();
        List<String> queue = new ArrayList<>(List.of("pom.xml"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < queue.size() && found.size() < MAX_POMS; i++) {
            String path = queue.get(i);
            if (!seen.add(path)) {
                continue;
            }
            files.read(path).flatMap(Poms::parse).ifPresent(pom -> {
                found.add(pom);
                String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
                for (String m : pom.modules()) {
                    String module = Path.of(dir + m).normalize().toString();
                    queue.add(module.endsWith(".xml") ? module : module + "/pom.xml");
                }
            });
        }
        return found;
    }

    /** @return package.json of the top and of each workspace package, by folder relative to the repository */
    static Map<String, JsonNode> packages(RepoFiles files) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        BuildDetection.packageJson(files).ifPresent(top -> {
            found.put("", top);
            JsonNode ws = top.path("workspaces");
            JsonNode patterns = ws.isArray() ? ws : ws.path("packages");
            for (JsonNode p : patterns) {
                String pattern = p.asText("").replaceAll("/+$", "");
                List<String> folders = pattern.endsWith("/*")
                        ? files.folders(pattern.substring(0, pattern.length() - 2))
                        : pattern.contains("*") ? List.of() : List.of(pattern);
                for (String f : folders) {
                    files.read(f + "/package.json").flatMap(BuildDetection::json).ifPresent(j -> found.put(f, j));
                }
            }
        });
        return found;
    }
}
