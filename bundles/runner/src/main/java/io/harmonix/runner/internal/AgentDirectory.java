package io.harmonix.runner.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.runner.api.AgentInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agents the runner can call, by agent id, as the agent whiteboard brings and takes them. Runs name agents by
 * id only, so an agent bundle can be updated while a run goes: the cycle after its return calls the new service.
 * When several services claim one id, runs use the one {@link AgentsById} chooses (the highest service ranking,
 * then the first registered); the others stand in when it goes.
 */
final class AgentDirectory {
    private final AgentsById<AgentHandle> agents = new AgentsById<>();
    private final RunnerLog log;

    /** The agents one cycle calls, by id, and the requested ones that are not present. */
    record Selection(Map<String, AgentHandle> present, List<String> absent) {
    }

    AgentDirectory(RunnerLog log) {
        this.log = log;
    }

    void add(AgentInfo info, Agent agent, int ranking, long serviceId) {
        if (!Ids.valid(info.agentId())) {
            log.warn("agent service " + serviceId + " of bundle " + info.bundleSymbolicName()
                    + " is ignored: its harmonix.agent.id '" + info.agentId()
                    + "' is missing or not 1-64 letters, digits, '.', '-' or '_'", null);
            return;
        }
        agents.add(info.agentId(), new AgentHandle(info, agent, serviceId), ranking, serviceId);
        List<AgentHandle> same = agents.claiming(info.agentId());
        if (same.size() > 1) {
            log.warn("agent id '" + info.agentId() + "' is registered " + same.size() + " times; runs use the one of "
                    + "bundle " + same.get(0).info().bundleSymbolicName(), null);
        }
    }

    /**
     * An agent service whose properties changed, perhaps its id: known by its new id at once, never absent in
     * between (a cycle looking it up then would fail its entry and leave its state one cycle behind).
     */
    void replace(AgentInfo info, Agent agent, int ranking, long serviceId) {
        if (!Ids.valid(info.agentId())) {
            remove(serviceId);
            add(info, agent, ranking, serviceId); // says why it is ignored
            return;
        }
        agents.replace(info.agentId(), new AgentHandle(info, agent, serviceId), ranking, serviceId);
    }

    void remove(long serviceId) {
        agents.remove(serviceId);
    }

    /** @throws IllegalArgumentException naming the first of {@code ids} that is not present, and those that are */
    void checkPresent(List<String> ids) {
        for (String id : ids) {
            if (agents.get(id) == null) {
                Set<String> present = agents.inUse().keySet();
                throw new IllegalArgumentException("unknown agent '" + id + "'; present: "
                        + (present.isEmpty() ? "none" : String.join(", ", present)));
            }
        }
    }

    /** @return the agent present under each id, by id */
    List<AgentInfo> list() {
        return agents.inUse().values().stream().map(AgentHandle::info).toList();
    }

    /**
     * @param requested the agents a run names; empty means every agent present now
     * @return the agents a cycle calls now, ordered by id, and the requested ones absent (their entries fail)
     */
    Selection select(List<String> requested) {
        if (requested.isEmpty()) {
            return new Selection(agents.inUse(), List.of());
        }
        Map<String, AgentHandle> present = new TreeMap<>();
        List<String> absent = new ArrayList<>();
        for (String id : requested) {
            AgentHandle h = agents.get(id);
            if (h == null) {
                absent.add(id);
            } else {
                present.put(id, h);
            }
        }
        return new Selection(present, absent);
    }

    /** @return the agents of {@code ids} still absent when they all came or the time ran out */
    List<String> awaitPresent(List<String> ids, long endNanos) {
        while (true) {
            List<String> missing = ids.stream().filter(id -> agents.get(id) == null).toList();
            if (missing.isEmpty() || System.nanoTime() >= endNanos) {
                return missing;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return missing;
            }
        }
    }
}
