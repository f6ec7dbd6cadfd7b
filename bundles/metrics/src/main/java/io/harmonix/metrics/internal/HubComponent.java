package io.harmonix.metrics.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Holds the registry of the runtime's metrics. A registry of its own, never the client's static default one: an
 * updated or restarted bundle starts from a fresh registry instead of meeting the old collectors (the client refuses
 * a name registered twice). The JVM series (memory pools, GC, threads, classes, buffer pools) come from the client's
 * own JVM instrumentation module.
 */
@Component(service = MetricsHub.class)
public final class HubComponent implements MetricsHub {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RunCounts runs = new RunCounts();

    @Activate
    public HubComponent() {
        JvmMetrics.builder().register(registry);
    }

    @Override
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public RunCounts runs() {
        return runs;
    }
}
