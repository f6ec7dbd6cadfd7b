package io.harmonix.workflow.internal;

import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.workflow.api.EventService;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Every cycle event of the runner arrives as an event: type harmonix.run.started, harmonix.cycle.started,
 * harmonix.cycle.completed, harmonix.cycle.failed, harmonix.run.paused, harmonix.run.resumed or
 * harmonix.run.finished, source
 * {@code harmonix.runner}, subject the run id, data {runId, cycle, status, message}.
 */
@Component(service = CycleListener.class)
public class CycleEventBridge implements CycleListener {
    @Reference
    private EventService events;

    @Override
    public void onEvent(CycleEvent e) {
        String kind = e.type().name().toLowerCase(Locale.ROOT).replace('_', '.');
        Map<String, Object> data = new HashMap<>();
        data.put("runId", e.runId());
        data.put("cycle", e.cycle());
        data.put("status", e.snapshot() == null ? null : e.snapshot().status().json());
        data.put("message", e.message());
        events.publish("harmonix.runner", "harmonix." + kind, e.runId(), data);
    }
}
