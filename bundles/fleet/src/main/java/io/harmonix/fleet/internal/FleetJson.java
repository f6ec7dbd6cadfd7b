package io.harmonix.fleet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.Repository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON forms of the catalogue: a repository as ORG_REPO_INDEX.json has it (the seed's snake_case names,
 * docs/formats/org-repo-index.schema.json), which {@code repo:show --json} and {@code repo:list --json} print too,
 * and a discovery report.
 */
public final class FleetJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetJson() {
    }

    /** @return the repository as one entry of ORG_REPO_INDEX.json */
    public static ObjectNode repository(Repository r, String head, Instant discoveredAt) {
        ObjectNode n = JSON.createObjectNode().put("name", r.name()).put("path", r.path())
                .put("language", r.language()).put("build_command", r.buildCommand())
                .put("test_command", r.testCommand());
        strings(n.putArray("dependencies"), r.dependencies());
        strings(n.putArray("declared_dependencies"), r.declaredDependencies());
        strings(n.putArray("inferred_dependencies"), r.inferredDependencies());
        return n.put("origin", r.origin()).put("problem", r.problem()).put("head", head)
                .put("discovered_at", discoveredAt.toString());
    }

    static ObjectNode repository(Known k) {
        return repository(k.repository(), k.head(), k.discoveredAt());
    }

    public static ObjectNode report(DiscoveryReport r) {
        ObjectNode n = JSON.createObjectNode().put("finished_at", r.finishedAt().toString());
        ArrayNode repos = n.putArray("repositories");
        for (Repository repo : r.repositories()) {
            ObjectNode o = repos.addObject().put("name", repo.name()).put("path", repo.path())
                    .put("language", repo.language()).put("build_command", repo.buildCommand())
                    .put("test_command", repo.testCommand());
            strings(o.putArray("declared_dependencies"), repo.declaredDependencies());
            strings(o.putArray("inferred_dependencies"), repo.inferredDependencies());
            o.put("origin", repo.origin()).put("problem", repo.problem());
        }
        strings(n.putArray("added"), r.added());
        strings(n.putArray("vanished"), r.vanished());
        strings(n.putArray("problems"), r.problems());
        return n;
    }

    static DiscoveryReport report(JsonNode n) {
        List<Repository> repos = new ArrayList<>();
        for (JsonNode o : n.path("repositories")) {
            repos.add(new Repository(o.path("name").asText(), o.path("path").asText(), text(o, "language"),
                    text(o, "build_command"), text(o, "test_command"), strings(o.path("declared_dependencies")),
                    strings(o.path("inferred_dependencies")), text(o, "origin"), text(o, "problem")));
        }
        return new DiscoveryReport(Instant.parse(n.path("finished_at").asText()), repos, strings(n.path("added")),
                strings(n.path("vanished")), strings(n.path("problems")));
    }

    private static String text(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(e -> list.add(e.asText()));
        return list;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
