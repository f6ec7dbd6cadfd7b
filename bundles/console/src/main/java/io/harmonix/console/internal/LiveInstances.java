package io.harmonix.console.internal;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Workflow instances followed live. The engine's API tells a task's changes only to the caller that started the
 * instance, so the instances somebody follows (and only those) are looked at every {@value #EVERY_MS} ms and their
 * task states sent when they changed: an open graph recolours within a fifth of a second of a task's end.
 */
@Component(service = LiveInstances.class)
public class LiveInstances {
    static final long EVERY_MS = 200;
    private final Streams streams = new Streams();
    private final Map<String, Map<String, Object>> lastSent = new ConcurrentHashMap<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WorkflowService engine;
    private ScheduledExecutorService timer;

    @Activate
    void activate() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-console-instances");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::look, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        streams.closeAll();
    }

    /** Follows an instance: its states now, then each change. */
    void follow(InstanceInfo instance, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Streams.Stream s = streams.open(instance.id(), req, resp);
        s.send("instance", states(instance));
    }

    private void look() {
        WorkflowService e = engine;
        List<String> followed = streams.keys();
        lastSent.keySet().retainAll(followed);
        if (e == null) {
            return;
        }
        for (String id : followed) {
            try {
                Optional<InstanceInfo> now = e.instance(id);
                if (now.isPresent()) {
                    Map<String, Object> states = states(now.get());
                    if (!states.equals(lastSent.put(id, states))) {
                        streams.send(id, "instance", states);
                    }
                }
            } catch (RuntimeException ex) {
                // the engine is going away (its database restarting): the next look tries again
            }
        }
    }

    static Map<String, Object> states(InstanceInfo i) {
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (TaskInfo t : i.tasks()) {
            tasks.put(t.id(), t.state().name().toLowerCase(Locale.ROOT));
        }
        Map<String, Object> m = new HashMap<>();
        m.put("instance", i.id());
        m.put("state", i.state().name().toLowerCase(Locale.ROOT));
        m.put("tasks", tasks);
        return m;
    }
}
