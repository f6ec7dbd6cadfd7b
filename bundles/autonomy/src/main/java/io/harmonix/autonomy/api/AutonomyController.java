package io.harmonix.autonomy.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The controller: runs of SENSE, THINK, ACT, VERIFY, SHIP, LEARN (the durable workflow {@value #WORKFLOW}), one at a
 * time, started by its cron schedule, by the event {@value #TRIGGER_EVENT} and by {@code autonomy:run}; the toggles
 * and quarantine that govern it.
 */
@ProviderType
public interface AutonomyController {
    /** The workflow whose instances are the controller runs. */
    String WORKFLOW = "autonomy-controller";
    /** The event that starts a run (the seed's repository_dispatch). */
    String TRIGGER_EVENT = "harmonix.autonomy.trigger";

    /**
     * Starts a run, or, while one runs, records the trigger against it (coalesced) and returns that one.
     *
     * @param trigger {@code schedule}, {@code event} or {@code command}
     */
    ControllerRun start(String trigger);

    Optional<ControllerRun> run(String id);

    /** @return the newest runs first, at most {@code limit} */
    List<ControllerRun> runs(int limit);

    /** Waits for the run to end. */
    ControllerRun await(String id, Duration timeout) throws InterruptedException, TimeoutException;

    AutonomyStatus status();

    /**
     * @return the node of the cluster that leads the controller now (holds the lease {@code autonomy:controller}):
     *     only its runtime fires the schedule and the trigger event and starts runs; empty when no node leads at this
     *     moment (its leader died: another leads within a lease) or when this runtime is no node of a cluster
     * @since 1.1.0
     */
    default Optional<String> leader() {
        return Optional.empty();
    }

    /**
     * @return true when this runtime runs the controller's cycles: it leads, or it is no node of a cluster
     * @since 1.1.0
     */
    default boolean leads() {
        return true;
    }

    /** @return the toggles as in force now */
    Toggles toggles();

    /**
     * Changes a toggle live ({@code enabled}, {@code automergeEnabled}, {@code maxChangesPerDay}, {@code
     * quarantineMode}), logs it and records it as a decision; it persists in {@code etc/io.harmonix.autonomy.cfg}.
     *
     * @throws IllegalArgumentException for an unknown name or a bad value (saying what was expected)
     */
    Toggles toggle(String name, String value, String who);

    /**
     * Turns quarantine on or off by a person's decision, with the reason (required). Automatic quarantine is lifted
     * only so.
     */
    Toggles quarantine(boolean on, String reason, String who);
}
