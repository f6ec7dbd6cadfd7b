package io.harmonix.console.internal;

import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleSnapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Runs followed live: a cycle listener on the runner's whiteboard that hands every event of a run to the browsers
 * following it (key: the run id) and to those following all runs (key {@value #ALL}).
 */
@Component(service = {CycleListener.class, LiveRuns.class})
public class LiveRuns implements CycleListener {
    static final String ALL = "*";
    static final int CATCH_UP = 200;
    private final Streams streams = new Streams();

    @Override
    public void onEvent(CycleEvent event) {
        Map<String, Object> data = event(event);
        streams.send(event.runId(), "cycle-event", data);
        streams.send(ALL, "cycle-event", data);
    }

    /**
     * Follows a run: subscribes first, then sends the retained cycles after {@code after} (so a cycle committed
     * between the page's load and this stream is not lost; the page ignores one it has twice; at most the last
     * {@value #CATCH_UP}), then live events.
     */
    void follow(String runId, long after, RunsApi runs, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        Streams.Stream s = streams.open(runId, req, resp);
        if (runId.equals(ALL)) {
            return;
        }
        // at most the last CATCH_UP cycles: a client that asks from 0 on a long run gets its end, not all of it
        long from = Math.max(after, runs.run(runId).lastCycle() - CATCH_UP);
        for (CycleSnapshot c : runs.read(runId, from, CATCH_UP)) {
            s.send("cycle-event", event(new CycleEvent(io.harmonix.cycle.api.CycleEventType.CYCLE_COMPLETED,
                    runId, c.cycle(), c.endedAt(), c, null)));
        }
    }

    @Deactivate
    void deactivate() {
        streams.closeAll();
    }

    static Map<String, Object> event(CycleEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type().name());
        m.put("runId", e.runId());
        m.put("cycle", e.cycle());
        m.put("time", e.time());
        m.put("message", e.message());
        m.put("snapshot", e.snapshot() == null ? null : RunsApi.cycleRow(e.snapshot()));
        return m;
    }
}
