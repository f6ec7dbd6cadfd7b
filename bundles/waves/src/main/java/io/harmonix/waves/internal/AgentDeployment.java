package io.harmonix.waves.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.waves.api.Focus;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a wave's instances come from and go: factory configurations of the agent bundles
 * ({@code io.harmonix.agent.<type>~<name>}), which Declarative Services makes into agents. The part of the
 * coordinator that needs Configuration Admin, kept behind this interface so that the rest is tested without a
 * framework; {@link ConfigAdminDeployment} is the runtime's.
 */
interface AgentDeployment {
    /** One deployed instance: its type and configuration name. */
    record Deployed(String type, String name) {
        String agentId() {
            return AgentDeployment.agentId(type, name);
        }
    }

    /**
     * Creates (or updates) the configuration of an instance with its {@code target} and {@code components}.
     *
     * @return the agent id the instance will answer to
     */
    String deploy(String type, String name, String target, List<String> components) throws IOException;

    /** Deletes the configuration of an instance; nothing when there is none. */
    void remove(String type, String name) throws IOException;

    /** @return every configuration of the agent factories whose name starts with {@code prefix} */
    List<Deployed> deployed(String prefix) throws IOException;

    /** @return the id of the agent made from configuration {@code name} of type {@code type}, as the runner sees it */
    static String agentId(String type, String name) {
        return AgentsById.idOf(Map.<String, Object>of(Agent.TYPE, type, AgentsById.SERVICE_PID,
                Focus.FACTORY_PID_PREFIX + type + "~" + name)::get);
    }
}
