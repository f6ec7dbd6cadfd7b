package io.harmonix.metrics.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleSnapshot;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The runner's cycle series, from the cycle events every {@link CycleListener} gets (asynchronously, on its own
 * queue: counting never slows a run). They count what this process saw, from zero at its start (Prometheus' counter
 * reset, which {@code rate()} and {@code increase()} take in their stride); the runs, which the runner's record
 * holds, are totals ({@link RunMetrics}), their events handed to {@link RunCounts} from here: the bundle's one
 * listener. Labels are bounded: cycle status is a small enum, agents are limited to
 * {@value #AGENT_LABELS} ids; run and cycle ids are never labels.
 */
@Component(service = CycleListener.class)
public final class CycleMetrics implements CycleListener {
    static final int AGENT_LABELS = 200;
    /** Seconds: agents answer in milliseconds (the sample agent) to minutes (a PMD scan of a large tree). */
    private static final double[] STEP_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
        10, 30, 60, 120, 300};

    private final PrometheusRegistry registry;
    private final RunCounts runs;
    private final BoundedLabels agents = new BoundedLabels(AGENT_LABELS);
    private final Counter cycles;
    private final Histogram cycleSeconds;
    private final Histogram stepSeconds;
    private final Counter stepFailures;

    @Activate
    public CycleMetrics(@Reference MetricsHub hub) {
        registry = hub.registry();
        runs = hub.runs();
        cycles = Counter.builder().name("harmonix_cycles")
                .help("Cycles of every run: committed ones by status (ok, partial, failed), not_committed those "
                        + "that could not be made durable").labelNames("status").build();
        cycleSeconds = Histogram.builder().name("harmonix_cycle_duration_seconds")
                .help("Duration of committed cycles, from the cycle's start to its agents' results")
                .classicOnly().classicUpperBounds(STEP_BOUNDS).build();
        stepSeconds = Histogram.builder().name("harmonix_agent_step_duration_seconds")
                .help("Duration of agents' steps, by agent id").labelNames("agent")
                .classicOnly().classicUpperBounds(STEP_BOUNDS).build();
        stepFailures = Counter.builder().name("harmonix_agent_step_failures")
                .help("Agent steps that did not end ok, by agent id and status (failed, timeout)")
                .labelNames("agent", "status").build();
        for (var c : List.of(cycles, cycleSeconds, stepSeconds, stepFailures)) {
            registry.register(c);
        }
    }

    @Deactivate
    void deactivate() {
        for (var c : List.of(cycles, cycleSeconds, stepSeconds, stepFailures)) {
            registry.unregister(c);
        }
    }

    @Override
    public void onEvent(CycleEvent event) {
        switch (event.type()) {
            case CYCLE_COMPLETED -> completed(event.snapshot());
            case CYCLE_FAILED -> cycles.labelValues("not_committed").inc();
            case CYCLE_STARTED -> {
                // nothing counted
            }
            default -> runs.onEvent(event); // runs started, paused, resumed, finished: the run series' (RunCounts)
        }
    }

    private void completed(CycleSnapshot s) {
        if (s == null) {
            return;
        }
        cycles.labelValues(s.status().json()).inc();
        cycleSeconds.observe(seconds(Duration.between(s.startedAt(), s.endedAt()).toNanos() / 1e9));
        for (AgentEntry e : s.agents()) {
            String agent = agents.of(e.agentId());
            stepSeconds.labelValues(agent).observe(e.durationMillis() / 1000.0);
            if (e.status() != AgentStatus.OK) {
                stepFailures.labelValues(agent, e.status().json()).inc();
            }
        }
    }

    private static double seconds(double s) {
        return Math.max(0, s); // a clock stepped back between start and end is no negative duration
    }
}
