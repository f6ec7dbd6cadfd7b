package io.harmonix.runner.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.runner.api.AgentInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agents the runner can call, by agent id, as the agent whiteboard brings and takes them. Runs name agents by
 * id only, so an agent bundle can be updated while a run goes: the cycle after its return calls the new service.
 * When several services claim one id, runs use the first one registered; the others stand in when it goes.
 */
final class AgentDirectory {
    private final Map<String, List<AgentHandle>> agents = new ConcurrentHashMap<>();
    private final RunnerLog log;

    /** The agents one cycle calls, by id, and the requested ones that are not present. */
    record Selection(Map<String, AgentHandle> present, List<String> absent) {
    }

    AgentDirectory(RunnerLog log) {
        this.log = log;
    }

    void add(AgentInfo info, Agent agent, long serviceId) {
        if (!Ids.valid(info.agentId())) {
            log.warn("agent service " + serviceId + " of bundle " + info.bundleSymbolicName()
                    + " is ignored: its harmonix.agent.id '" + info.agentId()
                    + "' is missing or not 1-64 letters, digits, '.', '-' or '_'", null);
            return;
        }
        List<AgentHandle> same = agents.computeIfAbsent(info.agentId(), id -> new CopyOnWriteArrayList<>());
        same.add(new AgentHandle(info, agent, serviceId));
        if (same.size() > 1) {
            log.warn("agent id '" + info.agentId() + "' is registered " + same.size() + " times; runs use the one of "
                    + "bundle " + same.get(0).info().bundleSymbolicName(), null);
        }
    }

    void remove(long serviceId) {
        agents.values().forEach(list -> list.removeIf(h -> h.serviceId() == serviceId));
        agents.values().removeIf(List::isEmpty);
    }

    /** @throws IllegalArgumentException naming the first of {@code ids} that is not present, and those that are */
    void checkPresent(List<String> ids) {
        for (String id : ids) {
            if (!agents.containsKey(id)) {
                throw new IllegalArgumentException("unknown agent '" + id + "'; present: "
                        + (agents.isEmpty() ? "none" : String.join(", ", new TreeMap<>(agents).keySet())));
            }
        }
    }

    /** @return the agent present under each id, by id */
    List<AgentInfo> list() {
        return new TreeMap<>(agents).values().stream().filter(l -> !l.isEmpty()).map(l -> l.get(0).info()).toList();
    }

    /**
     * @param requested the agents a run names; empty means every agent present now
     * @return the agents a cycle calls now, ordered by id, and the requested ones absent (their entries fail)
     */
    Selection select(List<String> requested) {
        Map<String, AgentHandle> present = new TreeMap<>();
        List<String> absent = new ArrayList<>();
        if (requested.isEmpty()) {
            agents.forEach((id, list) -> {
                if (!list.isEmpty()) {
                    present.put(id, list.get(0));
                }
            });
        } else {
            for (String id : requested) {
                List<AgentHandle> list = agents.get(id);
                if (list == null || list.isEmpty()) {
                    absent.add(id);
                } else {
                    present.put(id, list.get(0));
                }
            }
        }
        return new Selection(present, absent);
    }

    /** @return the agents of {@code ids} still absent when they all came or the time ran out */
    List<String> awaitPresent(List<String> ids, long endNanos) {
        while (true) {
            List<String> missing = ids.stream().filter(id -> {
                List<AgentHandle> list = agents.get(id);
                return list == null || list.isEmpty();
            }).toList();
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
