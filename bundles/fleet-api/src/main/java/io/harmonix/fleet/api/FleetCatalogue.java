package io.harmonix.fleet.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The fleet's repositories: discovered under the configured roots and named by the manifest, kept in Derby. */
@ProviderType
public interface FleetCatalogue {
    /** Event type published when a discovery adds or loses repositories ({@code data}: added, vanished). */
    String DISCOVERED_EVENT = "harmonix.fleet.discovered";

    /**
     * Discovers now: reads the manifest, walks the roots, detects languages and commands where the manifest is
     * silent, infers dependencies, stores the catalogue and writes {@code data/fleet/ORG_REPO_INDEX.json} and
     * {@code .md}.
     *
     * @throws IllegalStateException when another discovery is running (it says since when)
     */
    DiscoveryReport discover();

    /** @return the catalogue as the last discovery left it, by name */
    List<Repository> repositories();

    /**
     * A page of {@link #repositories()}: the default cuts it from the whole list; a provider holding the catalogue
     * in memory answers the page without copying the rest.
     *
     * @return at most {@code limit} repositories from the {@code offset}-th, by name
     * @throws IllegalArgumentException for a negative offset or a limit below 1
     * @since 1.1
     */
    default List<Repository> repositories(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: expected 0 or more, got " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit: expected 1 or more, got " + limit);
        }
        return repositories().stream().skip(offset).limit(limit).toList();
    }

    /** @return how many repositories the catalogue holds (a page's total) @since 1.1 */
    default int size() {
        return repositories().size();
    }

    Optional<Repository> repository(String name);

    /** @return the last discovery's report; empty before the first */
    Optional<DiscoveryReport> lastDiscovery();
}
