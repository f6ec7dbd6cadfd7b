package io.harmonix.metrics.internal;

import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunState;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The runs, read from the runner's own record at each scrape (its run journal when runs are durable): totals that
 * survive a restart of the runtime or of this bundle, where counting the run events this process saw would start
 * from zero each time. Runs started counts each run once (a resumed run is the same run); runs finished counts those
 * whose state is final (completed, stopped, failed: it never changes again, so the counter only grows); runs by
 * state is a gauge, since a run leaves running, paused or interrupted.
 */
@Component(service = {})
public final class RunMetrics implements MultiCollector {
    private final PrometheusRegistry registry;
    private final CycleRunner runner;

    @Activate
    public RunMetrics(@Reference MetricsHub hub, @Reference CycleRunner runner) {
        this.registry = hub.registry();
        this.runner = runner;
        registry.register(this);
    }

    @Deactivate
    void deactivate() {
        registry.unregister(this);
    }

    /**
     * The highest totals reported yet: while the journal cannot be read (its bundle restarting) the runner gives only
     * the runs in memory, and a counter that went down and back up would read as a reset and a burst.
     */
    private int startedHigh;
    private final Map<RunState, Integer> finishedHigh = new EnumMap<>(RunState.class);

    @Override
    public synchronized MetricSnapshots collect() {
        Map<RunState, Integer> byState = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) {
            byState.put(s, 0);
        }
        int counted = 0;
        boolean known = true;
        try {
            for (RunInfo r : runner.runs()) {
                byState.merge(r.state(), 1, Integer::sum);
                counted++;
            }
        } catch (RuntimeException e) {
            // the record cannot be read now: the totals stay as last reported, and no gauge is made up
            byState.replaceAll((state, n) -> 0);
            known = false;
        }
        startedHigh = Math.max(startedHigh, counted);
        int all = startedHigh;
        for (RunState s : RunState.values()) {
            if (s.finished()) {
                finishedHigh.merge(s, byState.get(s), Math::max);
            }
        }
        CounterSnapshot started = CounterSnapshot.builder().name("harmonix_runs_started")
                .help("Runs started, each once (a resumed run is the same run), as the runner's record holds them")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(all).build()).build();
        CounterSnapshot.Builder finished = CounterSnapshot.builder().name("harmonix_runs_finished")
                .help("Runs ended for good, by state (completed, stopped, failed), as the runner's record holds them");
        GaugeSnapshot.Builder now = GaugeSnapshot.builder().name("harmonix_runs")
                .help("Runs the runner's record holds, by state now");
        byState.forEach((state, n) -> {
            Labels labels = Labels.of("state", state.name().toLowerCase(Locale.ROOT));
            if (state.finished()) {
                finished.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                        .value(finishedHigh.get(state)).build());
            }
            now.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(n).build());
        });
        return known ? MetricSnapshots.of(started, finished.build(), now.build())
                : MetricSnapshots.of(started, finished.build());
    }
}
