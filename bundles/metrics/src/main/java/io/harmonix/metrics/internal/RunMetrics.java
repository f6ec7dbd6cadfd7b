package io.harmonix.metrics.internal;

import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The runs: totals seeded once, when this component starts, from the runner's record (its run journal when runs are
 * durable), so that a restart of the runtime or of this bundle reports the runs there were, then kept from the
 * run events (started, paused, resumed, finished). A scrape reads nothing: it reports what is kept. Runs started
 * counts each run once (a resumed run is the same run); runs finished counts each end in a final state (completed,
 * stopped, failed: a failed run resumed and completed later counts once as each). Neither goes down when runs are
 * deleted from the store: they count what happened, not what is held. The gauge is of the runs that can still go on
 * (running, paused, interrupted); the finished ones are the counters.
 *
 * <p>The listener is registered before the seed is read, and both take this object's lock: an event of a run the
 * seed already holds in that state counts nothing again, one of a run it does not hold counts as new. A run's
 * latest known state is kept for the runs that can go on (few) and for the latest {@value #ENDED} ended ones (so
 * that a late or repeated event of an ended run is not counted again).
 */
@Component(service = {})
public final class RunMetrics implements MultiCollector {
    static final int ENDED = 100_000;

    private final PrometheusRegistry registry;
    private final CycleRunner runner;
    private final AutoCloseable subscription;
    /** Runs that can still go on, by id, in their state now. */
    private final Map<String, RunState> live = new HashMap<>();
    /** Ended runs, the latest {@value #ENDED}, in their final state. */
    private final Map<String, RunState> ended = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunState> eldest) {
            return size() > ENDED;
        }
    };
    private long started;
    private final Map<RunState, Long> finished = new EnumMap<>(RunState.class);
    private boolean seeded;

    @Activate
    public RunMetrics(BundleContext context, @Reference MetricsHub hub, @Reference CycleRunner runner) {
        this(hub, runner, listener -> {
            ServiceRegistration<CycleListener> r = context.registerService(CycleListener.class, listener, null);
            return () -> {
                try {
                    r.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            };
        });
    }

    /** @param subscribe makes the listener hear the runner's events; what it returns ends that */
    RunMetrics(MetricsHub hub, CycleRunner runner, Function<CycleListener, AutoCloseable> subscribe) {
        this.registry = hub.registry();
        this.runner = runner;
        for (RunState s : RunState.values()) {
            if (s.finished()) {
                finished.put(s, 0L);
            }
        }
        synchronized (this) {
            this.subscription = subscribe.apply(this::onEvent);
            seed();
        }
        registry.register(this);
    }

    @Deactivate
    void deactivate() throws Exception {
        registry.unregister(this);
        subscription.close();
    }

    /**
     * Reads the runner's record once. When it cannot be read now (its journal restarting) the next scrape tries
     * again; the events heard until then are kept meanwhile.
     */
    private synchronized void seed() {
        List<RunInfo> runs;
        try {
            runs = runner.runs();
        } catch (RuntimeException e) {
            return;
        }
        for (RunInfo r : runs) {
            if (!known(r.runId())) {
                enter(r.runId(), r.state());
            }
        }
        seeded = true;
    }

    private boolean known(String runId) {
        return live.containsKey(runId) || ended.containsKey(runId);
    }

    /** A run now in {@code state}: counted as started when new, as finished when it enters a final state. */
    private void enter(String runId, RunState state) {
        RunState before = live.remove(runId);
        if (before == null) {
            before = ended.remove(runId);
        }
        if (before == null) {
            started++; // a run not known yet: new
        }
        if (state.finished()) {
            ended.put(runId, state);
            if (before != state) {
                finished.merge(state, 1L, Long::sum);
            }
        } else {
            live.put(runId, state);
        }
    }

    synchronized void onEvent(CycleEvent event) {
        switch (event.type()) {
            case RUN_STARTED, RUN_RESUMED -> enter(event.runId(), RunState.RUNNING);
            case RUN_PAUSED -> enter(event.runId(), RunState.PAUSED);
            case RUN_FINISHED -> {
                RunState end = endOf(event.message());
                if (end != null) {
                    enter(event.runId(), end);
                }
            }
            default -> {
                // cycles: CycleMetrics counts them
            }
        }
    }

    /** @return the state a run finished in, from the event's message ({@code completed}, {@code failed: why}...) */
    static RunState endOf(String message) {
        if (message == null) {
            return null;
        }
        int colon = message.indexOf(':');
        String word = (colon < 0 ? message : message.substring(0, colon)).trim().toUpperCase(Locale.ROOT);
        try {
            return RunState.valueOf(word);
        } catch (IllegalArgumentException e) {
            return null; // a message of another shape: the run's end is not counted rather than counted wrong
        }
    }

    @Override
    public synchronized MetricSnapshots collect() {
        if (!seeded) {
            seed();
        }
        Map<RunState, Integer> now = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) {
            if (!s.finished()) {
                now.put(s, 0);
            }
        }
        live.values().forEach(s -> now.merge(s, 1, Integer::sum));
        CounterSnapshot startedSnapshot = CounterSnapshot.builder().name("harmonix_runs_started")
                .help("Runs started, each once (a resumed run is the same run): the runner's record at this "
                        + "bundle's start, then its run events")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(started).build()).build();
        CounterSnapshot.Builder finishedSnapshot = CounterSnapshot.builder().name("harmonix_runs_finished")
                .help("Runs ended for good, by state (completed, stopped, failed): the runner's record at this "
                        + "bundle's start, then its run events");
        finished.forEach((state, n) -> finishedSnapshot.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("state", state.name().toLowerCase(Locale.ROOT))).value(n).build()));
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("harmonix_runs")
                .help("Runs that can still go on, by state now (running, paused, interrupted)");
        now.forEach((state, n) -> gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", state.name().toLowerCase(Locale.ROOT))).value(n).build()));
        return MetricSnapshots.of(startedSnapshot, finishedSnapshot.build(), gauge.build());
    }
}
