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

    Optional<Repository> repository(String name);

    /** @return the last discovery's report; empty before the first */
    Optional<DiscoveryReport> lastDiscovery();
}
