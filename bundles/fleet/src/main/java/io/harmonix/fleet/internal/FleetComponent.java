package io.harmonix.fleet.internal;

import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.workflow.api.EventService;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The fleet catalogue of the runtime ({@link FleetCatalogue}, and {@link Fleet} for this bundle's commands): the
 * engine built on the store's Derby database after the catalogue's schema is migrated, configured by PID
 * {@value FleetSettings#PID}, with the discovery schedule when one is set. Events go to the workflow engine's
 * {@link EventService} when it is there (an optional reference: the catalogue works without the workflow feature).
 */
@Component(service = {FleetCatalogue.class, Fleet.class}, immediate = true, configurationPid = FleetSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FleetComponent.Config.class)
public class FleetComponent extends FleetEngine {
    @ObjectClassDefinition(name = "Harmonix fleet")
    @interface Config {
        @AttributeDefinition(description = "Folders whose git repositories are discovered, comma-separated "
                + "(relative: to the runtime's home). Empty: only the manifest's repositories.")
        String roots() default "";

        @AttributeDefinition(description = "How deep under a root repositories are looked for (a root's own "
                + "folders are depth 1; 0 to 20).")
        int depth() default 2;

        @AttributeDefinition(description = "The fleet manifest (relative: to the runtime's home); absent is fine.")
        String manifest() default "etc/repositories.json";

        @AttributeDefinition(description = "When discovery runs by itself: a cron expression (5 fields, or 6 with "
                + "seconds first). Empty: only on repo:discover.")
        String schedule() default "";

        @AttributeDefinition(description = "Fleet builds: repositories built at once (1 to 256).")
        int maxParallel() default 2;

        @AttributeDefinition(description = "Fleet builds: retries of a failed build on the same commit, to tell "
                + "flaky from broken (0 to 100).")
        int retryAttempts() default 2;

        @AttributeDefinition(description = "Fleet builds: wait before a retry.")
        String retryBackoff() default "5s";

        @AttributeDefinition(description = "Health: failures in a row that make a repository unhealthy (1 to "
                + "1000).")
        int failureThreshold() default 3;

        @AttributeDefinition(description = "Health: the window success rates are computed over.")
        String healthWindow() default "7d";

        @AttributeDefinition(description = "Discovery: how long one git command may take before it is stopped and "
                + "its repository reported (a real git answers in milliseconds; one blocked on a stalled disk "
                + "would block discovery).")
        String gitTimeout() default "30s";
    }

    private final Logger log;
    private final ScheduledExecutorService timer;
    private DiscoverySchedule schedule;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventService events;

    @Activate
    public FleetComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException {
        super(new CatalogueStore(dataSource, migrator), FleetSettings.read(config, properties)
                .orElseThrow(log::error, log::warn), home(context), data(context), Clock.systemDefaultZone());
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-fleet-discovery");
            t.setDaemon(true);
            return t;
        });
        schedule(settings());
    }

    @Modified
    synchronized void modified(Config config, Map<String, Object> properties) {
        FleetSettings.read(config, properties).applyOrReport(next -> {
            settings(next);
            schedule(next);
        }, log::error, log::warn);
    }

    @Deactivate
    synchronized void deactivate() {
        if (schedule != null) {
            schedule.close();
        }
        timer.shutdownNow();
    }

    private synchronized void schedule(FleetSettings s) {
        if (schedule != null) {
            schedule.close();
            schedule = null;
        }
        if (s.schedule() != null) {
            schedule = new DiscoverySchedule(s.schedule(), this::scheduled, timer, Clock.systemDefaultZone(),
                    e -> log.warn("scheduled discovery did not run: {}", e.getMessage())).start();
            log.info("fleet discovery scheduled '{}', next at {}", s.schedule(), schedule.nextFire());
        }
    }

    private void scheduled() {
        DiscoveryReport r = discover();
        log.info("scheduled discovery: {} repositories, added {}, vanished {}, {} problem(s)",
                r.repositories().size(), r.added(), r.vanished(), r.problems().size());
    }

    @Override
    protected void discovered(DiscoveryReport report) {
        EventService e = events;
        if (e != null) {
            e.publish("fleet", DISCOVERED_EVENT, null, Map.of("added", report.added(), "vanished",
                    report.vanished(), "repositories", report.repositories().size()));
        }
    }

    private static Path home(BundleContext context) {
        String home = context.getProperty("harmonix.home");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }

    private static Path data(BundleContext context) {
        String data = context.getProperty("harmonix.data");
        return (data == null ? home(context).resolve("data") : Path.of(data)).resolve("fleet");
    }
}
