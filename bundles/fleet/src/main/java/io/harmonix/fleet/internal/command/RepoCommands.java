package io.harmonix.fleet.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.fleet.api.DependencyGraph;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.internal.Fleet;
import io.harmonix.fleet.internal.FleetJson;
import io.harmonix.fleet.internal.Known;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code repo:discover}, {@code repo:list}, {@code repo:show NAME} and {@code repo:graph}: the fleet catalogue. */
@Component
@CommandScope("repo")
public final class RepoCommands implements ShellCommands {
    /** Formats of repo:graph. */
    public enum GraphFormat { MERMAID, DOT }

    @Reference
    private Fleet fleet;

    @Command(name = "discover", header = "discover the fleet's repositories now",
            description = "Reads the manifest (etc/repositories.json), walks the configured roots, detects build "
                    + "and test commands and dependencies, stores the catalogue and writes "
                    + "data/fleet/ORG_REPO_INDEX.json and .md. Prints counts, the repositories added and vanished, "
                    + "and every problem (file:line:column for the manifest's). Refused while another discovery "
                    + "runs.")
    public CommandResult discover() {
        return CommandResult.streamed(items -> {
            DiscoveryReport r = fleet.discover(progress -> items.item(progress, null));
            return CommandResult.of(RepoViews.report(r), RepoViews.reportJson(r));
        });
    }

    @Command(name = "list", header = "list the fleet's repositories",
            description = "The catalogue as the last discovery left it: name, language, dependencies (declared and "
                    + "inferred), HEAD commit and problem.")
    public CommandResult list(
            @Option(names = "--problems", description = "Only repositories with a problem.") boolean problems) {
        List<Known> shown = fleet.known().stream().filter(k -> !problems || !k.repository().healthy()).toList();
        return CommandResult.listing(new Table("NAME", "LANGUAGE", "DEPENDENCIES", "HEAD", "PROBLEM")
                .ifEmpty(problems ? "no repository has a problem" : "no repositories (repo:discover finds them; "
                        + "configure roots in etc/io.harmonix.fleet.cfg or name them in etc/repositories.json)"),
                shown, (t, k) -> t.row(k.name(), k.repository().language(),
                        String.join(",", k.repository().dependencies()),
                        k.head() == null ? "-" : k.head().substring(0, 12),
                        k.repository().problem() == null ? "" : k.repository().problem()),
                k -> FleetJson.repository(k.repository(), k.head(), k.discoveredAt()));
    }

    @Command(name = "show", header = "show one repository of the fleet",
            description = "Everything the catalogue knows of a repository: path, language, commands, declared and "
                    + "inferred dependencies, the repositories depending on it, origin, HEAD and problem.")
    public CommandResult show(@Parameters(paramLabel = "NAME", description = "The repository.") String name) {
        Known k = fleet.known().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("repo:show: no repository '" + name + "' in the "
                        + "fleet; " + closeNames(name)));
        List<String> dependents = DependencyGraph.of(fleet.repositories()).affectedBy(List.of(name)).stream()
                .filter(n -> !n.equals(name)).toList();
        var json = FleetJson.repository(k.repository(), k.head(), k.discoveredAt());
        ArrayNode d = json.putArray("dependents");
        dependents.forEach(d::add);
        return CommandResult.of(RepoViews.show(k, dependents), json);
    }

    @Command(name = "graph", header = "show the fleet's dependency graph",
            description = "The dependency graph as Mermaid (default) or Graphviz dot: an arrow goes from a "
                    + "repository to what it depends on; repositories in a cycle and the edges between them are "
                    + "marked, as are the repositories blocked by one and dependencies on unknown repositories. "
                    + "--json gives repositories, edges, cycles, unknown dependencies, blocked repositories and "
                    + "build levels.")
    public CommandResult graph(
            @Option(names = "--format", paramLabel = "mermaid|dot", description = "mermaid (default) or dot.")
            GraphFormat format) {
        DependencyGraph g = DependencyGraph.of(fleet.repositories());
        String text = format == GraphFormat.DOT ? RepoViews.dot(g) : RepoViews.mermaid(g);
        return CommandResult.of(text, RepoViews.graphJson(g));
    }

    /** The names nearest to {@code name} (edit distance, or containing it), else every name. */
    private String closeNames(String name) {
        List<String> names = fleet.repositories().stream().map(Repository::name).toList();
        if (names.isEmpty()) {
            return "the catalogue is empty (repo:discover)";
        }
        String n = name.toLowerCase(Locale.ROOT);
        List<String> close = names.stream()
                .filter(x -> distance(x.toLowerCase(Locale.ROOT), n) <= Math.max(2, n.length() / 3)
                        || x.toLowerCase(Locale.ROOT).contains(n) || n.contains(x.toLowerCase(Locale.ROOT)))
                .sorted(Comparator.comparingInt(x -> distance(x.toLowerCase(Locale.ROOT), n))).limit(5).toList();
        return close.isEmpty() ? "repositories: " + String.join(", ", names.stream().limit(20).toList())
                + (names.size() > 20 ? ", ..." : "") : "did you mean " + String.join(", ", close) + "?";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
