package io.harmonix.metrics.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Holds the registry of the runtime's metrics. A registry of its own, never the client's static default one: an
 * updated or restarted bundle starts from a fresh registry instead of meeting the old collectors (the client refuses
 * a name registered twice). The JVM series (memory pools, GC, threads, classes, buffer pools) come from the client's
 * own JVM instrumentation module.
 *
 * <p>The JVM series are made at the first scrape, not with the component: building them reads every memory pool,
 * collector and buffer pool MXBean and asks the JVM for its native memory summary (a diagnostic command), a cost of
 * every start (bin/harmonix cds's training start too, an exec start that boots this feature; other exec starts
 * leave it out) for series most starts never show.
 */
@Component(service = MetricsHub.class)
public final class HubComponent implements MetricsHub {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RunCounts runs = new RunCounts();

    @Activate
    public HubComponent() {
        registry.register(new JvmSeries());
    }

    @Override
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public RunCounts runs() {
        return runs;
    }

    /** The JVM series, registered in a registry of their own at the first scrape that asks for them. */
    static final class JvmSeries implements MultiCollector {
        private volatile PrometheusRegistry jvm;

        @Override
        public MetricSnapshots collect() {
            PrometheusRegistry r = jvm;
            if (r == null) {
                synchronized (this) {
                    r = jvm;
                    if (r == null) {
                        r = new PrometheusRegistry();
                        JvmMetrics.builder().register(r);
                        jvm = r;
                    }
                }
            }
            return r.scrape();
        }
    }
}
