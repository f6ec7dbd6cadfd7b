package io.harmonix.fleet.internal;

import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.Repository;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The fleet's real catalogue (its engine over Derby) for the console's tests, holding the repositories a test names
 * as a discovery that found them would have stored them. In the fleet's package: its engine and store are that
 * bundle's own, not API.
 */
public final class ConsoleFleet implements AutoCloseable {
    private final DerbyFixture derby;
    private final FleetEngine engine;

    public ConsoleFleet(Path dir, List<Repository> repositories) throws Exception {
        derby = DerbyFixture.open(dir.resolve("db"));
        CatalogueStore store = new CatalogueStore(derby.dataSource(), derby.migrator());
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        store.save(repositories.stream().map(r -> new Known(r, "0".repeat(40), now)).toList(),
                new DiscoveryReport(now, repositories, repositories.stream().map(Repository::name).toList(),
                        List.of(), List.of()));
        engine = new FleetEngine(store, FleetSettings.defaults(), dir, dir.resolve("data/fleet"), Clock.systemUTC());
    }

    public FleetCatalogue catalogue() {
        return engine;
    }

    @Override
    public void close() {
        derby.close();
    }
}
