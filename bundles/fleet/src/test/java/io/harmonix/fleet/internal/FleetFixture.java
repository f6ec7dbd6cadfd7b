package io.harmonix.fleet.internal;

import io.harmonix.config.api.CronSchedule;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.store.testing.DerbyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A runtime home in a temporary folder (etc/, data/fleet, roots under it) with a real Derby database and the fleet
 * engine on it; the events the engine would publish are collected in {@link #events}.
 */
final class FleetFixture implements AutoCloseable {
    final Path home;
    final GitRepos git;
    final List<DiscoveryReport> events = new CopyOnWriteArrayList<>();
    private final DerbyFixture derby;
    private FleetSettings settings;
    FleetEngine engine;

    FleetFixture(Path dir, String... roots) throws IOException, SQLException {
        this.home = Files.createDirectories(dir.resolve("home"));
        this.git = new GitRepos(dir);
        this.derby = DerbyFixture.open(dir.resolve("db"));
        FleetSettings d = FleetSettings.defaults();
        this.settings = new FleetSettings(List.of(roots), d.depth(), d.manifest(), null, d.maxParallel(),
                d.retryAttempts(), d.retryBackoff(), d.failureThreshold(), d.healthWindow(), d.gitTimeout());
        this.engine = newEngine();
    }

    /** The engine as a restarted runtime makes it: from what Derby holds. */
    FleetEngine newEngine() throws SQLException {
        return new FleetEngine(new CatalogueStore(derby.dataSource(), derby.migrator()), settings, home,
                home.resolve("data/fleet"), Clock.systemUTC()) {
            @Override
            protected void discovered(DiscoveryReport report) {
                events.add(report);
            }
        };
    }

    FleetFixture depth(int depth) {
        settings = new FleetSettings(settings.roots(), depth, settings.manifest(), (CronSchedule) null,
                settings.maxParallel(), settings.retryAttempts(), settings.retryBackoff(),
                settings.failureThreshold(), settings.healthWindow(), settings.gitTimeout());
        engine.settings(settings);
        return this;
    }

    FleetFixture gitTimeout(java.time.Duration timeout) {
        settings = new FleetSettings(settings.roots(), settings.depth(), settings.manifest(), settings.schedule(),
                settings.maxParallel(), settings.retryAttempts(), settings.retryBackoff(),
                settings.failureThreshold(), settings.healthWindow(), timeout);
        engine.settings(settings);
        return this;
    }

    Path manifest(String json) throws IOException {
        Path m = Files.createDirectories(home.resolve("etc")).resolve("repositories.json");
        Files.writeString(m, json);
        return m;
    }

    @Override
    public void close() {
        derby.close();
    }
}
