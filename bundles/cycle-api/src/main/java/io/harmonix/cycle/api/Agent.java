package io.harmonix.cycle.api;

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
}
