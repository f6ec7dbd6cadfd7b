package io.harmonix.runner.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.runner.api.AgentInfo;

/** An agent service and what the runner knows of it. */
record AgentHandle(AgentInfo info, Agent agent, long serviceId) {
    String id() {
        return info.agentId();
    }
}
