package io.harmonix.metrics.internal;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The workflow engine's series, read from the instances it keeps (the running ones and the latest finished) at
 * each scrape: instances ended by workflow and state, their tasks' durations and failures by workflow and task, the
 * instances running by workflow; and the fleet builds, which are instances of the workflow {@value #FLEET_BUILD}.
 * An instance is counted once, when a scrape first sees it ended. The engine keeps its latest finished instances, not
 * how many there ever were, so these counters count what ended while this process ran, from zero at its start
 * (Prometheus' counter reset): the instances already ended when it starts are marked seen then, not counted (they
 * were counted by the process they ended in). Labels are workflow and task names (bounded by the definitions
 * deployed, capped at {@value #LABELS} besides), never instance ids.
 */
@Component(service = {})
public final class WorkflowMetrics implements MultiCollector {
    /** The workflow the fleet's builds run as (bundles/fleet-builds). */
    static final String FLEET_BUILD = "fleet_build";
    static final int LABELS = 500;
    private static final double[] TASK_BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900,
        3600};

    private final PrometheusRegistry registry;
    private final WorkflowService workflows;
    private final BoundedLabels names = new BoundedLabels(LABELS);
    private final SeenIds counted = new SeenIds(20_000);
    private final Counter instances;
    private final Histogram taskSeconds;
    private final Counter taskFailures;
    private final Counter fleetBuilds;

    @Activate
    public WorkflowMetrics(@Reference MetricsHub hub, @Reference WorkflowService workflows) {
        this.registry = hub.registry();
        this.workflows = workflows;
        instances = Counter.builder().name("harmonix_workflow_instances")
                .help("Workflow instances ended, by workflow and state (succeeded, failed, cancelled)")
                .labelNames("workflow", "state").build();
        taskSeconds = Histogram.builder().name("harmonix_workflow_task_duration_seconds")
                .help("Duration of the tasks of ended instances (all attempts), by workflow and task")
                .labelNames("workflow", "task").classicOnly().classicUpperBounds(TASK_BOUNDS).build();
        taskFailures = Counter.builder().name("harmonix_workflow_task_failures")
                .help("Tasks that failed after their attempts, by workflow and task")
                .labelNames("workflow", "task").build();
        fleetBuilds = Counter.builder().name("harmonix_fleet_builds")
                .help("Fleet builds ended, by state (succeeded, failed, cancelled)").labelNames("state").build();
        for (InstanceInfo i : workflows.instances()) {
            if (i.state().finished()) {
                counted.first(i.id()); // ended before this process: not counted again after a restart
            }
        }
        registry.register(this);
    }

    @Deactivate
    void deactivate() {
        registry.unregister(this);
    }

    @Override
    public synchronized MetricSnapshots collect() {
        Map<String, Integer> running = new TreeMap<>();
        for (InstanceInfo i : workflows.instances()) {
            String workflow = names.of(i.workflow());
            if (!i.state().finished()) {
                running.merge(workflow, 1, Integer::sum);
            } else if (counted.first(i.id())) {
                ended(workflow, i);
            }
        }
        GaugeSnapshot.Builder live = GaugeSnapshot.builder().name("harmonix_workflow_instances_running")
                .help("Workflow instances running or paused, by workflow");
        running.forEach((w, n) -> live.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("workflow", w)).value(n).build()));
        return MetricSnapshots.of(instances.collect(), taskSeconds.collect(), taskFailures.collect(),
                fleetBuilds.collect(), live.build());
    }

    private void ended(String workflow, InstanceInfo i) {
        String state = i.state().name().toLowerCase(Locale.ROOT);
        instances.labelValues(workflow, state).inc();
        if (FLEET_BUILD.equals(i.workflow())) {
            fleetBuilds.labelValues(state).inc();
        }
        if (i.tasks() == null) {
            return;
        }
        for (TaskInfo t : i.tasks()) {
            if (t.startedAt() == null || t.endedAt() == null || !t.state().terminal()) {
                continue; // skipped or cancelled before it ran: no duration
            }
            String task = names.of(workflow + "/" + t.id()).equals(BoundedLabels.OTHER) ? BoundedLabels.OTHER
                    : t.id();
            taskSeconds.labelValues(workflow, task)
                    .observe(Math.max(0, Duration.between(t.startedAt(), t.endedAt()).toNanos() / 1e9));
            if (t.state() == io.harmonix.workflow.api.TaskState.FAILED) {
                taskFailures.labelValues(workflow, task).inc();
            }
        }
    }
}
