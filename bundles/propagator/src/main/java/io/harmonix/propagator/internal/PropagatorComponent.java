package io.harmonix.propagator.internal;

import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.CycleIndexListener;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.propagator.internal.ingest.Ingest;
import io.harmonix.store.api.SchemaMigrator;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Wires the propagator: applies its schema on the shared database, starts the delivery workers, listens to the
 * index for appends, and registers the {@link Ingest} that the servlet of {@link IngestComponent} hands requests to. A configuration change restarts it
 * (workers stop after their request under way; cursors are durable). Wrong properties are all named, and the
 * defaults are used.
 */
@Component(immediate = true, service = {}, configurationPid = PropagatorSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PropagatorComponent.Config.class)
public class PropagatorComponent {
    @ObjectClassDefinition(name = "Harmonix propagator")
    @interface Config {
        @AttributeDefinition(description = "The registry of endpoints and peers (relative: to the runtime's home).")
        String registry() default "etc/registry.json";

        @AttributeDefinition(description = "Secrets and tokens by name; refused when group or others can read it.")
        String pulse() default "etc/pulse.json";

        @AttributeDefinition(description = "When every endpoint delivers: 'continuous' or a cron expression (5 "
                + "fields, or 6 with seconds first). Per endpoint: schedule.<endpoint-id>.")
        String schedule() default "continuous";

        @AttributeDefinition(description = "Timeout of one request (connect and answer).")
        String timeout() default "10s";

        @AttributeDefinition(description = "First retry delay.")
        String retry_initialDelay() default "1s";

        @AttributeDefinition(description = "Longest retry delay (and longest Retry-After honoured, at least 1h).")
        String retry_maxDelay() default "5m";

        @AttributeDefinition(description = "Growth of the delay per attempt (1: fixed, 2: doubling).")
        double retry_multiplier() default 2.0;

        @AttributeDefinition(description = "Fraction of each delay randomly added or taken off (0 to 1).")
        double retry_jitter() default 0.2;

        @AttributeDefinition(description = "Attempts at a cycle the endpoint refuses (4xx but 410 and 429) before "
                + "it goes to the dead-letter list.")
        int retry_attempts() default 5;

        @AttributeDefinition(description = "Consecutive failures (429, 5xx, timeout, no connection) that open the "
                + "circuit breaker.")
        int breaker_failures() default 5;

        @AttributeDefinition(description = "How long an open breaker waits before one trial request.")
        String breaker_cooldown() default "30s";

        @AttributeDefinition(description = "Attempts kept per endpoint.")
        int attempts_kept() default 1000;

        @AttributeDefinition(description = "Path of the ingest endpoint; a peer posts to <path>/<peer-id>.")
        String ingest_path() default "/harmonix/ingest";

        @AttributeDefinition(description = "How far a request's webhook-timestamp may be from now.")
        String ingest_tolerance() default "5m";
    }

    @Reference
    private DataSource dataSource;

    @Reference
    private SchemaMigrator migrator;

    @Reference
    private CycleIndex index;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private PropagationService service;
    private ServiceRegistration<?> propagator;
    private ServiceRegistration<?> listener;
    private ServiceRegistration<?> ingest;

    @Activate
    void activate(Map<String, Object> props, BundleContext context) throws SQLException {
        PropagatorSettings settings;
        try {
            settings = PropagatorSettings.parse(props);
        } catch (IllegalArgumentException e) {
            log.error("configuration refused, using the defaults: {}", e.getMessage());
            settings = PropagatorSettings.DEFAULTS;
        }
        var applied = migrator.migrate(DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS);
        if (!applied.isEmpty()) {
            log.info("propagator schema migrated: versions {}", applied);
        }
        String home = context.getProperty("harmonix.home");
        service = new PropagationService(index, dataSource, settings, Path.of(home == null ? "." : home),
                new PropagationService.Log() {
                    @Override
                    public void info(String message) {
                        log.info(message);
                    }

                    @Override
                    public void warn(String message) {
                        log.warn(message);
                    }
                });
        service.start();
        propagator = context.registerService(Propagator.class, service, null);
        listener = context.registerService(CycleIndexListener.class, (ns, size) -> service.appended(ns), null);
        ingest = context.registerService(Ingest.class, new IngestService(service, Instant::now), null);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        ingest.unregister();
        listener.unregister();
        propagator.unregister();
        service.close();
    }
}
