package io.harmonix.propagator.internal;

import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.CycleIndexListener;
import io.harmonix.propagator.api.DeadLetter;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.Endpoint;
import io.harmonix.propagator.api.EndpointStatus;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.propagator.internal.ingest.Ingest;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The propagator of the runtime, published by DS as {@link Propagator}, as the index's {@link CycleIndexListener}
 * (appends wake the delivery workers) and as the {@link Ingest} that the servlet of {@link IngestComponent} hands
 * requests to: each delegates to the {@link PropagationService} built in the activate constructor, after the
 * propagator's schema is migrated on the store's database. A new configuration (PID {@value PropagatorSettings#PID})
 * that is right as a whole replaces the service in place (its workers stop after their request under way; cursors
 * are durable); a wrong one is logged with every wrong property and changes nothing. At activation there are no
 * settings to keep: a wrong configuration keeps the propagator from starting (ingest answers 503) rather than
 * deliver with settings nobody chose.
 *
 * <p>{@code Ingest} is an interface of this bundle's own (not exported): the servlet, which must outlive this
 * component, finds the current one through DS like any other reference.
 */
@Component(service = {Propagator.class, CycleIndexListener.class, Ingest.class}, immediate = true,
        configurationPid = PropagatorSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PropagatorComponent.Config.class)
public class PropagatorComponent implements Propagator, CycleIndexListener, Ingest {
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
        String ingest_path() default IngestSettings.DEFAULT_PATH;

        @AttributeDefinition(description = "Largest request body the ingest endpoint takes, in bytes (1024 to "
                + "16777216); a larger one is answered 413.")
        int ingest_maxBodyBytes() default IngestSettings.DEFAULT_MAX_BODY_BYTES;

        @AttributeDefinition(description = "Request bodies the ingest endpoint receives at once (1 to 1024); one "
                + "more is answered 503 with Retry-After.")
        int ingest_maxConcurrentBodies() default IngestSettings.DEFAULT_MAX_CONCURRENT_BODIES;

        @AttributeDefinition(description = "How long a request to the ingest endpoint may take to send its whole "
                + "body (100ms to 5m); a slower one is answered 408 and cut.")
        String ingest_readTimeout() default IngestSettings.DEFAULT_READ_TIMEOUT;

        @AttributeDefinition(description = "How far a request's webhook-timestamp may be from now.")
        String ingest_tolerance() default "5m";
    }

    private final CycleIndex index;
    private final DataSource dataSource;
    private final Path home;
    private final Logger log;
    private volatile PropagationService service;
    /** The settings {@link #service} runs with. */
    private volatile PropagatorSettings settings;
    private volatile IngestService ingest;

    @Activate
    public PropagatorComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "index") CycleIndex index,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException {
        this.index = index;
        this.dataSource = dataSource;
        this.log = log;
        String home = context.getProperty("harmonix.home");
        this.home = Path.of(home == null ? "." : home);
        PropagatorSettings settings = PropagatorSettings.read(config, properties).orElseThrow(log::error, log::warn);
        var applied = migrator.migrate(DeliveryStore.COMPONENT, DeliveryStore.MIGRATIONS);
        if (!applied.isEmpty()) {
            log.info("propagator schema migrated: versions {}", applied);
        }
        start(settings);
    }

    @Modified
    synchronized void modified(Config config, Map<String, Object> properties) {
        PropagatorSettings.read(config, properties).applyOrReport(this::restartWith, log::error, log::warn);
    }

    private void restartWith(PropagatorSettings next) {
        if (next.equals(settings)) {
            return; // FileInstall applied the same file again, say
        }
        try {
            service.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // its workers were told to stop; the new ones start all the same
        }
        start(next);
        log.info("propagator restarted with its new settings");
    }

    @Deactivate
    synchronized void deactivate() throws InterruptedException {
        service.close();
    }

    private void start(PropagatorSettings settings) {
        PropagationService s = new PropagationService(index, dataSource, settings, home, log);
        s.start();
        service = s;
        this.settings = settings;
        ingest = s.ingest(Instant::now);
    }

    // ---- CycleIndexListener and Ingest --------------------------------------------------------------------

    @Override
    public void appended(String namespace, long treeSize) {
        service.appended(namespace);
    }

    @Override
    public Answer receive(String peerId, String webhookId, String timestamp, String signature, byte[] body,
            String from) {
        return ingest.receive(peerId, webhookId, timestamp, signature, body, from);
    }

    // ---- Propagator, delegated ----------------------------------------------------------------------------

    @Override
    public List<Endpoint> endpoints() {
        return service.endpoints();
    }

    @Override
    public List<String> configurationProblems() {
        return service.configurationProblems();
    }

    @Override
    public List<EndpointStatus> status() {
        return service.status();
    }

    @Override
    public List<DeliveryAttempt> attempts(String endpointId, int limit) {
        return service.attempts(endpointId, limit);
    }

    @Override
    public List<DeadLetter> deadLetters(String endpointId) {
        return service.deadLetters(endpointId);
    }

    @Override
    public void redeliver(String endpointId, String cycleId) throws IOException {
        service.redeliver(endpointId, cycleId);
    }

    @Override
    public int redeliverDead(String endpointId) {
        return service.redeliverDead(endpointId);
    }

    @Override
    public void pause(String endpointId) {
        service.pause(endpointId);
    }

    @Override
    public void resume(String endpointId) {
        service.resume(endpointId);
    }

    @Override
    public DeliveryAttempt test(String endpointId) throws IOException, InterruptedException {
        return service.test(endpointId);
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return service.awaitIdle(timeout);
    }
}
