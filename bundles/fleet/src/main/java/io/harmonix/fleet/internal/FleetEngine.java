package io.harmonix.fleet.internal;

import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The fleet catalogue, plain Java (its component extends it with the wiring): runs one {@link Discovery} at a time,
 * stores what it leaves in Derby, writes the index files and tells {@link #discovered} when repositories were
 * added or vanished. A second discovery while one runs is refused at once, saying since when the first runs: the
 * second would find the same repositories, and a scheduled discovery piling up behind a slow one would only
 * repeat it.
 */
public class FleetEngine implements Fleet {
    private final CatalogueStore store;
    private final Path home;
    private final Path dataFolder;
    private final Clock clock;
    /** Not a lock: a discovery started from within another (a progress listener, say) is refused too. */
    private final Semaphore running = new Semaphore(1);
    private volatile Instant runningSince;
    private volatile FleetSettings settings;
    /**
     * Read from the store at the first use, not at start (a command that never uses the fleet does not boot the
     * database for it); null until then.
     */
    private volatile List<Known> catalogue;
    private volatile DiscoveryReport last;

    /**
     * @param home what relative roots and the manifest resolve against
     * @param dataFolder where ORG_REPO_INDEX.json and .md go ({@code data/fleet})
     */
    FleetEngine(CatalogueStore store, FleetSettings settings, Path home, Path dataFolder, Clock clock)
            throws SQLException {
        this.store = store;
        this.settings = settings;
        this.home = home;
        this.dataFolder = dataFolder;
        this.clock = clock;
    }

    /** The catalogue, and the last discovery's report, read from the store once, at the first use. */
    private List<Known> catalogue() {
        List<Known> c = catalogue;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (catalogue == null) {
                try {
                    DiscoveryReport report = store.lastReport().orElse(null);
                    List<Known> loaded = store.load();
                    last = report;
                    catalogue = loaded;
                } catch (SQLException e) {
                    throw new IllegalStateException("the fleet's catalogue cannot be read from the database: "
                            + e.getMessage(), e);
                }
            }
            return catalogue;
        }
    }

    void settings(FleetSettings next) {
        settings = next;
    }

    FleetSettings settings() {
        return settings;
    }

    @Override
    public DiscoveryReport discover() {
        return discover(p -> { });
    }

    @Override
    public DiscoveryReport discover(Consumer<String> progress) {
        if (!running.tryAcquire()) {
            throw new IllegalStateException("a discovery is running since " + runningSince
                    + "; its report will be the catalogue's (repo:list shows it when it ends)");
        }
        try {
            runningSince = clock.instant();
            Discovery.Result result = new Discovery(settings, home, runningSince).run(catalogue(), progress);
            DiscoveryReport report = result.report();
            boolean changed = result.catalogue() != catalogue();
            if (changed) {
                try {
                    IndexFiles.write(dataFolder, result.catalogue(), report.finishedAt());
                } catch (IOException e) {
                    List<String> problems = new ArrayList<>(report.problems());
                    problems.add(dataFolder.resolve(IndexFiles.JSON_NAME) + ": could not be written (" + e + ")");
                    report = new DiscoveryReport(report.finishedAt(), report.repositories(), report.added(),
                            report.vanished(), problems);
                }
            }
            try {
                store.save(result.catalogue(), report);
            } catch (SQLException e) {
                throw new IllegalStateException("the catalogue found could not be stored: " + e.getMessage(), e);
            }
            catalogue = result.catalogue();
            last = report;
            if (!report.added().isEmpty() || !report.vanished().isEmpty()) {
                discovered(report);
            }
            return report;
        } finally {
            runningSince = null;
            running.release();
        }
    }

    /** Called after a discovery that added or lost repositories; the component publishes the event. */
    protected void discovered(DiscoveryReport report) {
    }

    @Override
    public List<Known> known() {
        return catalogue();
    }

    @Override
    public List<Repository> repositories() {
        return catalogue().stream().map(Known::repository).toList();
    }

    @Override
    public List<Repository> repositories(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException(offset < 0 ? "offset: expected 0 or more, got " + offset
                    : "limit: expected 1 or more, got " + limit);
        }
        List<Known> now = catalogue(); // one discovery's whole list, replaced, never changed in place
        int from = Math.min(offset, now.size());
        return now.subList(from, (int) Math.min((long) from + limit, now.size())).stream().map(Known::repository)
                .toList();
    }

    @Override
    public int size() {
        return catalogue().size();
    }

    @Override
    public Optional<Repository> repository(String name) {
        return catalogue().stream().map(Known::repository).filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public Optional<DiscoveryReport> lastDiscovery() {
        catalogue();
        return Optional.ofNullable(last);
    }
}
