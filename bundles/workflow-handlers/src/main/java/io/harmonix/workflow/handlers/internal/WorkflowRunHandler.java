package io.harmonix.workflow.handlers.internal;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * workflow/run: runs a deployed workflow as a sub-workflow and waits for it. Input: {@code workflow} (name),
 * {@code version} (default latest), {@code input} (map). Output: the sub-workflow's outputs, plus
 * {@code instance}. Its failure fails the task.
 */
@Component(property = {TaskHandler.COMPONENT + "=workflow", TaskHandler.ACTION + "=run"})
public final class WorkflowRunHandler implements TaskHandler {
    @Reference
    private WorkflowService workflows;

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        Object name = context.required("workflow");
        @SuppressWarnings("unchecked")
        Map<String, Object> input = context.input().get("input") instanceof Map<?, ?> m ? (Map<String, Object>) m
                : Map.of();
        Object version = context.input().get("version");
        InstanceInfo started = workflows.start(name.toString(), version == null ? null : version.toString(), input,
                null);
        Duration wait = context.deadline() == null ? Duration.ofDays(365)
                : Duration.between(Instant.now(), context.deadline());
        InstanceInfo done = workflows.await(started.id(), wait);
        if (done.state() != InstanceState.SUCCEEDED) {
            throw new IllegalStateException("workflow/run: " + name + " instance " + done.id() + " "
                    + done.state().name().toLowerCase(java.util.Locale.ROOT)
                    + (done.error() == null ? "" : ": " + done.error()));
        }
        Map<String, Object> out = new LinkedHashMap<>(done.output() == null ? Map.of() : done.output());
        out.put("instance", done.id());
        return out;
    }
}
