package io.harmonix.workflow.api;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Does the work of tasks, as a service with the properties {@link #COMPONENT} and {@link #ACTION} (each may hold
 * several values): a task's {@code component} and {@code action} select the handlers; of several, the least busy
 * one is called, and when one goes away under a task, the task is handed to another.
 */
@ConsumerType
public interface TaskHandler {
    /** Service property: the component names this handler serves. */
    String COMPONENT = "harmonix.task.component";
    /** Service property: the action names this handler serves. */
    String ACTION = "harmonix.task.action";

    /**
     * Runs one attempt of a task. Should end when {@link Thread#interrupted()} (timeout, cancel) and before the
     * context's deadline.
     *
     * @return the task's output (JSON-like: maps, lists, strings, numbers, booleans, null)
     * @throws Exception the attempt failed; its message is the task's error
     */
    Map<String, Object> execute(TaskContext context) throws Exception;
}
