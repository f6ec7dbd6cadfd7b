package io.harmonix.console.internal;

import io.harmonix.config.api.Durations;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.DependencyGraph;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryHealth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The fleet ({@code /console/api/fleet}): its repositories a page at a time, each with its build health over the
 * window ({@code ?window=7d}; the configured one when absent) when fleet builds are installed; the dependency graph
 * ({@code /fleet/graph}: build levels, edges, cycles, unknown dependencies); a repository with its newest checks
 * ({@code /fleet/repositories/NAME}); one check with its log ({@code /fleet/checks/ID}). Repositories have a
 * segment of their own so that no name shadows a sub-resource: a repository may be called {@code graph} or
 * {@code checks} (a name is letters, digits, '.', '_' and '-'), and {@code /fleet/graph} stays the graph. The
 * catalogue is one list (a fleet's repositories number in the tens or hundreds, held in the fleet's memory): a page is taken from it without copying
 * the rest, and the build health, which reads each repository's checks, is read for the page's repositories only;
 * the checks are read newest first, at most a page.
 */
@Component(service = ConsolePart.class)
public final class FleetPart implements ConsolePart {
    private final FleetCatalogue catalogue;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FleetBuilds builds;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CheckHistory checks;

    @Activate
    public FleetPart(@Reference FleetCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public boolean exists(String name) {
        return catalogue.repository(name).isPresent();
    }

    @Override
    public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (rest.isEmpty()) {
            Json.send(resp, 200, repositories(Page.of(req), window(req)));
        } else if (rest.size() == 1 && rest.get(0).equals("graph")) {
            DependencyGraph g = DependencyGraph.of(catalogue.repositories());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("levels", g.levels());
            m.put("edges", g.edges());
            m.put("cycles", g.cycles());
            m.put("blocked", g.blocked());
            m.put("unknownDependencies", g.unknownDependencies());
            Json.send(resp, 200, m);
        } else if (rest.size() == 2 && rest.get(0).equals("checks")) {
            Json.send(resp, 200, check(rest.get(1)));
        } else if (rest.size() == 2 && rest.get(0).equals("repositories")) {
            Repository r = catalogue.repository(rest.get(1)).orElseThrow(() -> ApiException.notFound(
                    "no repository '" + rest.get(1) + "' in the fleet"));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("repository", r);
            m.put("health", health(window(req), List.of(r.name())).get(r.name()));
            CheckHistory h = checks;
            m.put("checks", h == null ? null : h.checks(r.name(), Page.of(req).limit()).stream()
                    .map(FleetPart::checkRow).toList());
            Json.send(resp, 200, m);
        } else {
            throw Parts.noApi(name(), rest);
        }
    }

    /** The page's repositories and the health of those only (each one's checks are read: a page's, never all). */
    private Page.Of<Map<String, Object>> repositories(Page page, Duration window) {
        int total = catalogue.size();
        List<Repository> repositories = catalogue.repositories(page.offset(), page.limit());
        Map<String, RepositoryHealth> health = health(window, repositories.stream().map(Repository::name).toList());
        return new Page.Of<>(repositories.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("language", r.language());
            m.put("path", r.path());
            m.put("dependencies", r.dependencies());
            m.put("problem", r.problem());
            m.put("health", health.get(r.name()));
            return m;
        }).toList(), total, page.limit(), page.offset());
    }

    /** @return each repository's health by name; empty without fleet builds (the page says health is unknown) */
    private Map<String, RepositoryHealth> health(Duration window, List<String> names) {
        FleetBuilds b = builds;
        return b == null ? Map.of() : b.health(window, names).stream().collect(Collectors.toMap(
                RepositoryHealth::name, Function.identity(), (x, y) -> x));
    }

    private CheckRecord check(String id) {
        CheckHistory h = checks;
        if (h == null) {
            throw new ApiException(503, "the check history (bundle io.harmonix.fleet.sandbox) is not installed or "
                    + "not started");
        }
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("check '" + id + "': expected a check number");
        }
        return h.check(n).orElseThrow(() -> ApiException.notFound("no check " + n));
    }

    private static Map<String, Object> checkRow(CheckRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("kind", c.kind());
        m.put("commit", c.commit());
        m.put("startedAt", c.startedAt());
        m.put("duration", c.duration());
        m.put("exitCode", c.exitCode());
        m.put("timedOut", c.timedOut());
        m.put("passed", c.passed());
        m.put("error", c.error());
        return m;
    }

    private static Duration window(HttpServletRequest req) {
        String w = req.getParameter("window");
        if (w == null || w.isBlank()) {
            return null;
        }
        try {
            Duration d = Durations.parse(w);
            if (!d.isZero() && !d.isNegative()) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // answered below with what was expected
        }
        throw ApiException.badRequest("parameter 'window': expected a positive duration such as 7d or 12h, got '"
                + w + "'");
    }
}
