package io.harmonix.metrics.internal;

import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.propagator.api.EndpointStatus;
import io.harmonix.propagator.api.Propagator;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The propagator's series, read from its API at each scrape: deliveries and dead letters per endpoint (its durable
 * totals: they go on across restarts), the backlog (lag) per endpoint, and the latency of attempts per endpoint and
 * outcome (those made while this process runs: the attempts made before its start are not timed again). The propagator
 * tells of no attempt as it happens; its latest {@value #ATTEMPTS} attempts per endpoint are read at each scrape and
 * those not seen before go into the histogram (more attempts than that between two scrapes are counted in the
 * totals but not all timed). Endpoints come from etc/registry.json: bounded, capped at
 * {@value #ENDPOINT_LABELS} labels besides.
 */
@Component(service = {})
public final class PropagatorMetrics implements MultiCollector {
    static final int ATTEMPTS = 200;
    static final int ENDPOINT_LABELS = 100;
    private static final double[] LATENCY_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10, 30};

    private final PrometheusRegistry registry;
    private final Propagator propagator;
    private final BoundedLabels endpoints = new BoundedLabels(ENDPOINT_LABELS);
    private final Histogram latency;
    /** Per endpoint, the newest attempt already timed. */
    private final Map<String, String> newestTimed = new ConcurrentHashMap<>();

    /** Whether the attempts made before this process were marked as timed (see {@link #markTimed}). */
    private boolean marked;

    @Activate
    public PropagatorMetrics(@Reference MetricsHub hub, @Reference Propagator propagator, BundleContext context) {
        this.registry = hub.registry();
        this.propagator = propagator;
        latency = Histogram.builder().name("harmonix_delivery_latency_seconds")
                .help("Latency of delivery attempts (request to answer), by endpoint and outcome (delivered, retry, "
                        + "rejected, dead, disabled)").labelNames("endpoint", "outcome")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS).build();
        if (!ExecMode.of(context)) {
            // exec mode marks them at its first scrape: it has no HTTP port to scrape, and it made no attempt
            // before one (its commands' deliveries are not timed), while reading them booted the database
            markTimed();
        }
        registry.register(this);
    }

    /** The attempts made before this process are not timed again (the histogram holds this process's attempts). */
    private synchronized void markTimed() {
        if (marked) {
            return;
        }
        marked = true;
        for (EndpointStatus s : propagator.status()) {
            List<DeliveryAttempt> latest = propagator.attempts(s.endpoint().id(), 1);
            if (!latest.isEmpty()) {
                newestTimed.put(s.endpoint().id(), key(latest.get(0)));
            }
        }
    }

    @Deactivate
    void deactivate() {
        registry.unregister(this);
    }

    @Override
    public synchronized MetricSnapshots collect() {
        markTimed();
        CounterSnapshot.Builder delivered = CounterSnapshot.builder().name("harmonix_deliveries")
                .help("Cycles delivered, by endpoint");
        CounterSnapshot.Builder dead = CounterSnapshot.builder().name("harmonix_delivery_dead_letters")
                .help("Cycles dead-lettered, by endpoint");
        GaugeSnapshot.Builder lag = GaugeSnapshot.builder().name("harmonix_delivery_lag")
                .help("Indexed cycles not yet delivered, by endpoint");
        for (EndpointStatus s : propagator.status()) {
            String id = s.endpoint().id();
            Labels labels = Labels.of("endpoint", endpoints.of(id));
            delivered.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                    .value(s.delivered()).build());
            dead.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                    .value(s.deadLetters()).build());
            lag.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(s.lag()).build());
            time(id);
        }
        return MetricSnapshots.of(delivered.build(), dead.build(), lag.build(), latency.collect());
    }

    /** Times the endpoint's attempts made since the newest one timed (the API gives them newest first). */
    private void time(String endpoint) {
        List<DeliveryAttempt> fresh = new ArrayList<>();
        String newest = newestTimed.get(endpoint);
        List<DeliveryAttempt> latest = propagator.attempts(endpoint, ATTEMPTS);
        for (DeliveryAttempt a : latest) {
            if (key(a).equals(newest)) {
                break;
            }
            if (a.outcome() != DeliveryAttempt.Outcome.TEST) {
                fresh.add(a);
            }
        }
        if (!latest.isEmpty()) {
            newestTimed.put(endpoint, key(latest.get(0)));
        }
        String label = endpoints.of(endpoint);
        for (DeliveryAttempt a : fresh) {
            latency.labelValues(label, a.outcome().name().toLowerCase(Locale.ROOT))
                    .observe(Math.max(0, a.latencyMillis()) / 1000.0);
        }
    }

    private static String key(DeliveryAttempt a) {
        return a.at() + " " + a.namespace() + " " + a.sequence() + " " + a.attempt() + " " + a.webhookId();
    }
}
