package io.harmonix.workflow.handlers.internal;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * workflow/run: runs a deployed workflow as a sub-workflow and waits for it. Input: {@code workflow} (name),
 * {@code version} (default latest), {@code input} (map). Output: the sub-workflow's outputs, plus
 * {@code instance}. Its failure fails the task.
 *
 * <p>The child's id derives from the parent task's idempotency key ({@link WorkflowService#startOnce}): a task run
 * again after a crash, or another attempt of it, finds the child it started instead of starting a second one (a
 * child that failed or was cancelled is retried, going on from what succeeded). The child does not outlive the
 * parent's interest in it: when the task is interrupted (the parent cancelled, failed elsewhere, or the task timed
 * out), the child is cancelled too. A stopping engine records no cancellation, so a stop leaves both to resume.
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
        InstanceInfo child = workflows.startOnce(context.idempotencyKey(), name.toString(),
                version == null ? null : version.toString(), input, null);
        if (child.state() == InstanceState.FAILED || child.state() == InstanceState.CANCELLED) {
            child = workflows.retry(child.id(), null); // this task runs again: so does what failed in its child
        }
        Duration wait = context.deadline() == null ? Duration.ofDays(365)
                : Duration.between(Instant.now(), context.deadline());
        InstanceInfo done;
        try {
            done = workflows.await(child.id(), wait);
        } catch (InterruptedException e) {
            cancel(child.id());
            throw e;
        }
        if (!done.state().finished()) {
            cancel(child.id());
            throw new IllegalStateException("workflow/run: " + name + " instance " + done.id() + " still "
                    + done.state().name().toLowerCase(Locale.ROOT) + " at the task's deadline: cancelled");
        }
        if (done.state() != InstanceState.SUCCEEDED) {
            throw new IllegalStateException("workflow/run: " + name + " instance " + done.id() + " "
                    + done.state().name().toLowerCase(Locale.ROOT)
                    + (done.error() == null ? "" : ": " + done.error()));
        }
        Map<String, Object> out = new LinkedHashMap<>(done.output() == null ? Map.of() : done.output());
        out.put("instance", done.id());
        return out;
    }

    /** Cancels the child; one that has ended meanwhile, or is no longer here, has nothing to cancel. */
    private void cancel(String childId) {
        try {
            workflows.cancel(childId);
        } catch (IllegalArgumentException | IllegalStateException gone) {
            // ended or gone: nothing runs on the parent's behalf any more
        }
    }
}
