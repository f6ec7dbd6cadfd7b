package io.harmonix.metrics.internal;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The bundle's one registry, as a service of the bundle's own (this package is not exported): the components that
 * feed metrics (one per source, each requiring its source's service) register their collectors in it when they
 * start and take them out when they stop, and the servlet scrapes it. A source that is absent (its bundle stopped,
 * its feature not booted) simply has no series.
 */
public interface MetricsHub {
    PrometheusRegistry registry();

    /** @return the run series' counts, fed by the cycle listener ({@link CycleMetrics}), read by {@link RunMetrics} */
    RunCounts runs();
}
