package io.harmonix.metrics.internal;

import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.AutonomyStatus;
import io.harmonix.autonomy.api.ControllerRun;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The autonomy controller's series, read from its API at each scrape: controller runs ended by state, the changes
 * they shipped, and the controller's status (changes shipped today, consecutive failed runs). The controller keeps
 * its runs durably: at start the counters are set to every ended run it holds (totals that go on across restarts),
 * and afterwards a run is counted once, when a scrape first sees it ended among the latest {@value #RUNS}.
 */
@Component(service = {})
public final class AutonomyMetrics implements MultiCollector {
    static final int RUNS = 200;

    private final PrometheusRegistry registry;
    private final AutonomyController controller;
    private final SeenIds counted = new SeenIds(10_000);
    private final BoundedLabels states = new BoundedLabels(20);
    private final Counter runs;
    private final Counter shipped;
    private boolean countedEnded;

    @Activate
    public AutonomyMetrics(@Reference MetricsHub hub, @Reference AutonomyController controller,
            BundleContext context) {
        this.registry = hub.registry();
        this.controller = controller;
        runs = Counter.builder().name("harmonix_autonomy_controller_runs")
                .help("Controller runs ended, by state").labelNames("state").build();
        shipped = Counter.builder().name("harmonix_autonomy_shipped_changes")
                .help("Changes shipped (fast-forwarded onto a main branch) by ended controller runs").build();
        if (!ExecMode.of(context)) {
            // exec mode counts them at its first scrape: it has no HTTP port, and this read booted the database
            countEnded();
        }
        registry.register(this);
    }

    /** Counts the runs ended before this process, once: a restart reports the runs there were. */
    private synchronized void countEnded() {
        if (countedEnded) {
            return;
        }
        countedEnded = true;
        try {
            List<ControllerRun> all = new ArrayList<>(controller.runs(Integer.MAX_VALUE));
            Collections.reverse(all); // oldest first: the newest ids are the ones SeenIds keeps longest
            for (ControllerRun r : all) {
                count(r);
            }
        } catch (RuntimeException e) {
            // its store cannot be read now: the scrapes count the latest runs as they come, as a fresh start would
        }
    }

    private void count(ControllerRun r) {
        if (r.endedAt() != null && counted.first(r.id())) {
            runs.labelValues(states.of(r.state() == null ? "" : r.state().toLowerCase(Locale.ROOT))).inc();
            shipped.inc(r.shipped());
        }
    }

    @Deactivate
    void deactivate() {
        registry.unregister(this);
    }

    @Override
    public synchronized MetricSnapshots collect() {
        countEnded();
        for (ControllerRun r : controller.runs(RUNS)) {
            count(r);
        }
        AutonomyStatus status = controller.status();
        return MetricSnapshots.of(runs.collect(), shipped.collect(),
                gauge("harmonix_autonomy_shipped_today", "Changes shipped today (the daily cap counts these)",
                        status.shippedToday()),
                gauge("harmonix_autonomy_consecutive_failures", "Controller runs failed in a row (the breaker "
                        + "counts these)", status.consecutiveFailures()));
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
