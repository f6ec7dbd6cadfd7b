package io.harmonix.metrics.internal;

import io.harmonix.runner.api.CycleRunner;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The run series ({@link RunCounts}): seeded once, when the runner is there, from its record (its run journal when
 * runs are durable), so that a restart of the runtime or of this bundle reports the runs there were; then kept from
 * the run events the bundle's cycle listener ({@link CycleMetrics}) hears. A scrape reads no record: it reports
 * what is kept.
 */
@Component(service = {})
public final class RunMetrics implements MultiCollector {
    private final PrometheusRegistry registry;
    private final CycleRunner runner;
    private final RunCounts counts;

    @Activate
    public RunMetrics(@Reference MetricsHub hub, @Reference CycleRunner runner, BundleContext context) {
        this(hub, runner, ExecMode.of(context));
    }

    /**
     * @param execMode true in exec mode: the record is read at the first scrape, not at activation (exec mode has
     *     no HTTP port to scrape; it boots this feature only in bin/harmonix cds's training start, which must not
     *     boot the database)
     */
    RunMetrics(MetricsHub hub, CycleRunner runner, boolean execMode) {
        this.registry = hub.registry();
        this.runner = runner;
        this.counts = hub.runs();
        if (!execMode) {
            seed();
        }
        registry.register(this);
    }

    @Deactivate
    void deactivate() {
        registry.unregister(this);
    }

    /** Reads the runner's record once; when it cannot be read now (its journal restarting), the next scrape tries. */
    private void seed() {
        if (counts.seeded()) {
            return;
        }
        try {
            counts.seed(runner.runs());
        } catch (RuntimeException e) {
            // the events heard meanwhile are kept; the record is read at the next scrape
        }
    }

    @Override
    public MetricSnapshots collect() {
        seed();
        return counts.snapshots();
    }
}
