package io.harmonix.metrics.internal;

import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunState;
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

/**
 * The runs as counted: seeded once from the runner's record ({@link RunMetrics}), then kept from the run events that
 * {@link CycleMetrics}, the bundle's one cycle listener, hands over (one listener, one queue and thread per event:
 * a second listener would cost every cycle a second hand-off). Runs started counts each run once (a resumed run is
 * the same run); runs finished counts each end in a final state (completed, stopped, failed: a failed run resumed
 * and completed later counts once as each). Neither goes down when runs are deleted from the store: they count what
 * happened, not what is held. The gauge is of the runs that can still go on (running, paused, interrupted).
 *
 * <p>Events may come before the seed (the listener starts with the bundle, the seed when the runner is there) or
 * after it for something the seed already holds: a run already known in that state counts nothing again, one not
 * known counts as new. A run's latest known state is kept for the runs that can go on (few) and for the latest
 * {@value #ENDED} ended ones, so that a late or repeated event of an ended run is not counted again.
 */
final class RunCounts {
    static final int ENDED = 100_000;

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

    RunCounts() {
        for (RunState s : RunState.values()) {
            if (s.finished()) {
                finished.put(s, 0L);
            }
        }
    }

    synchronized boolean seeded() {
        return seeded;
    }

    /** Takes the runner's record once: the runs it holds that no event told of yet. */
    synchronized void seed(List<RunInfo> runs) {
        if (seeded) {
            return;
        }
        for (RunInfo r : runs) {
            if (!live.containsKey(r.runId()) && !ended.containsKey(r.runId())) {
                enter(r.runId(), r.state());
            }
        }
        seeded = true;
    }

    /** A run event (the others are ignored). */
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

    /** @return the run series as they stand: nothing is read */
    synchronized MetricSnapshots snapshots() {
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
