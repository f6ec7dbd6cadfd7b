package io.harmonix.cycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An agent, registered as an OSGi service with the property {@value #ID} (unique id) and optionally {@value #TYPE}.
 * The runner calls {@link #step} once per cycle. Agents hold no state of their own between cycles: everything they
 * need next time goes into the state they return, which the runner hands back on the next cycle.
 */
@ConsumerType
public interface Agent {
    /** Service property: the agent's unique id (letters, digits, '.', '-' and '_'). */
    String ID = "harmonix.agent.id";
    /** Service property: what kind of agent this is, free text (for example "sample", "code-quality"). */
    String TYPE = "harmonix.agent.type";

    /**
     * Performs one cycle of work.
     *
     * @param context the run, cycle, previous state, inputs and deadline
     * @return the new state and the outputs of this cycle
     * @throws Exception any failure; the runner marks this agent's entry of the cycle failed and goes on
     */
    AgentResult step(AgentContext context) throws Exception;

    /**
     * @return the version of the state format this agent writes now; states saved in an older version are handed
     *     to {@link #migrateState} before the agent sees them
     */
    default int stateVersion() {
        return 1;
    }

    /**
     * Turns a state of version {@code fromVersion} into version {@code fromVersion + 1}. Called once per version
     * step, oldest first.
     *
     * @throws StateMigrationException when there is no way from that version; the state is then refused, never
     *     dropped
     */
    default JsonNode migrateState(int fromVersion, JsonNode state) throws StateMigrationException {
        throw new StateMigrationException("agent has no migration of its state from version " + fromVersion);
    }
}
