package io.harmonix.metrics.internal;

import io.harmonix.index.api.CycleIndexListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The federated index's series, from its listener whiteboard: append requests and records by namespace, how long
 * an append took until durable (the sync latency: writer queue, write and force as the namespace's sync policy
 * says), and each namespace's size. Namespaces are this runtime's and one per peer: bounded by the registry, and
 * capped at {@value #NAMESPACE_LABELS} labels besides.
 */
@Component(service = CycleIndexListener.class)
public final class IndexMetrics implements CycleIndexListener {
    static final int NAMESPACE_LABELS = 100;
    private static final double[] SYNC_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5};

    private final PrometheusRegistry registry;
    private final BoundedLabels namespaces = new BoundedLabels(NAMESPACE_LABELS);
    private final Counter appends;
    private final Counter records;
    private final Histogram syncSeconds;
    private final Gauge size;

    @Activate
    public IndexMetrics(@Reference MetricsHub hub) {
        registry = hub.registry();
        appends = Counter.builder().name("harmonix_index_appends")
                .help("Append requests that wrote records, by namespace").labelNames("namespace").build();
        records = Counter.builder().name("harmonix_index_records_appended")
                .help("Records appended, by namespace").labelNames("namespace").build();
        syncSeconds = Histogram.builder().name("harmonix_index_append_sync_seconds")
                .help("Time from an append request to its records being durable (writer queue, write, force as "
                        + "the sync policy says), by namespace").labelNames("namespace")
                .classicOnly().classicUpperBounds(SYNC_BOUNDS).build();
        size = Gauge.builder().name("harmonix_index_records")
                .help("Records a namespace holds (its Merkle tree size), as of its latest append")
                .labelNames("namespace").build();
        List.of(appends, records, syncSeconds, size).forEach(registry::register);
    }

    @Deactivate
    void deactivate() {
        List.of(appends, records, syncSeconds, size).forEach(registry::unregister);
    }

    @Override
    public void written(String namespace, int count, Duration took) {
        String ns = namespaces.of(namespace);
        appends.labelValues(ns).inc();
        records.labelValues(ns).inc(count);
        syncSeconds.labelValues(ns).observe(took.toNanos() / 1e9);
    }

    @Override
    public void appended(String namespace, long treeSize) {
        size.labelValues(namespaces.of(namespace)).set(treeSize);
    }
}
