package io.harmonix.workflow.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** The workflow engine. */
@ProviderType
public interface WorkflowService {
    /** @return every problem of a definition (empty: it is valid); {@code source} names it in the problems */
    List<Problem> validate(String source, String text);

    /** Validates and stores a definition under its name and version (replacing the same name and version). */
    DefinitionInfo deploy(String source, String text) throws WorkflowValidationException;

    /**
     * Withdraws a deployed definition (instances already started on it finish).
     *
     * @return true when there was one
     */
    boolean withdraw(String name, String version);

    /**
     * Runs {@code step} once, before the first use of the deployed definitions (a deploy, a withdraw, a look-up,
     * a start of an instance, on the thread of that use), or now on the caller's thread when they have been used
     * already. For a bundle's shipped definitions in exec mode: deployed when a command needs the engine, rather
     * than at every start, where reading and writing the definitions booted the database for every command. A
     * step that throws is logged; the use goes on.
     */
    void atFirstUse(Runnable step);

    /** @return every deployed definition, by name then version */
    List<DefinitionInfo> definitions();

    /** @return a definition; {@code version} null means the latest deployed */
    Optional<DefinitionInfo> definition(String name, String version);

    /**
     * Starts an instance of a deployed definition.
     *
     * @param version null for the latest
     * @param input values of the definition's inputs; strings are converted to the declared types
     * @param progress told of every task state change (on the engine's threads), or null
     * @throws IllegalArgumentException for an unknown workflow or version, or an input that does not fit
     */
    InstanceInfo start(String name, String version, Map<String, Object> input, Consumer<TaskInfo> progress);

    /**
     * Starts an instance whose id derives from {@code key}, or finds the one that key started before: a caller that
     * does the same work again (a task run again after a crash, another attempt of it) gets the instance it started
     * the first time, as Temporal does by workflow id. A sub-workflow's key is its parent task's idempotency key.
     *
     * @param key what the instance is for; the same key always gives the same instance id
     * @param version null for the latest (used only when it starts)
     * @return the instance started; or the one found, as it is (resumed when a crash or a stop interrupted it and
     *     it does not run here yet), or as it ended
     * @throws IllegalArgumentException as {@link #start}, or when the instance found runs another workflow
     * @since 1.3
     */
    InstanceInfo startOnce(String key, String name, String version, Map<String, Object> input,
            Consumer<TaskInfo> progress);

    /** Waits until the instance ends, at most {@code timeout}. @return its state then */
    InstanceInfo await(String instanceId, Duration timeout) throws InterruptedException;

    /** @return the instances kept (the running ones and the latest finished), newest first */
    List<InstanceInfo> instances();

    Optional<InstanceInfo> instance(String instanceId);

    /** Stops starting tasks of an instance (running ones finish); durable. */
    InstanceInfo pause(String instanceId);

    /** Goes on with a paused instance, or with one a crash or a stop interrupted. */
    InstanceInfo resume(String instanceId);

    /** Cancels an instance: running tasks are interrupted (processes killed), the others never start. */
    InstanceInfo cancel(String instanceId);

    /**
     * Lets a failed or cancelled instance go on: tasks that succeeded keep their outputs and are not run again;
     * the others (and with {@code fromTask}, that task and every task after it) run again.
     *
     * @param fromTask null, or a task to run again with everything downstream of it
     */
    InstanceInfo retry(String instanceId, String fromTask);

    /** @return the instance's history, oldest first (empty when the engine keeps none) */
    List<HistoryEvent> history(String instanceId);

    /**
     * Rebuilds the instance's state from its history alone and compares it with its state as kept.
     *
     * @return the differences (empty: equal)
     */
    List<String> replay(String instanceId);
}
