package io.harmonix.cycle.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The agents present, by agent id ({@value Agent#ID}), as the agent whiteboard brings and takes them: the one rule
 * for which agent answers an id when several services claim it, kept by everything that calls agents by id.
 *
 * <p>The rule is the OSGi framework's own for one service among several: the highest {@code service.ranking}, and
 * among equal rankings the lowest {@code service.id}, that is the one registered first. The others stand in, in
 * that order, when it goes.
 *
 * @param <T> what is kept of an agent (the service, or a handle around it)
 */
public final class AgentsById<T> {
    /** The OSGi service property {@code service.id}. */
    public static final String SERVICE_ID = "service.id";
    /** The OSGi service property {@code service.ranking}. */
    public static final String SERVICE_RANKING = "service.ranking";
    /** The OSGi service property {@code service.pid}. */
    public static final String SERVICE_PID = "service.pid";

    private record Claim<T>(T agent, int ranking, long serviceId) {
    }

    /** Highest ranking first, then lowest service id. */
    private static final Comparator<Claim<?>> RULE = Comparator.<Claim<?>>comparingInt(c -> -c.ranking())
            .thenComparingLong(Claim::serviceId);

    private final Map<String, List<Claim<T>>> claims = new HashMap<>();

    /** Adds an agent service that claims {@code id}, with the ranking and service id that order it among others. */
    public synchronized void add(String id, T agent, int ranking, long serviceId) {
        List<Claim<T>> same = claims.computeIfAbsent(id, k -> new ArrayList<>());
        same.add(new Claim<>(agent, ranking, serviceId));
        same.sort(RULE);
    }

    /**
     * Adds an agent service by its service properties (as DS hands them to a bind method): its {@value Agent#ID},
     * {@value #SERVICE_RANKING} (0 when absent or not an Integer, as OSGi reads it) and {@value #SERVICE_ID}.
     *
     * @return false, adding nothing, when the service has no agent id
     */
    public boolean add(T agent, Map<String, ?> properties) {
        String id = idOf(properties::get);
        if (id == null) {
            return false;
        }
        add(id, agent, properties.get(SERVICE_RANKING) instanceof Integer r ? r : 0,
                serviceId(properties));
        return true;
    }

    /**
     * The id an agent service answers to: its {@value Agent#ID} property; or, for an agent made from a named factory
     * configuration ({@code service.pid} {@code io.harmonix.agent.quality~harmonix}, from the file
     * {@code etc/io.harmonix.agent.quality-harmonix.cfg}) that has no such property, {@code <type>.<name>}
     * ({@code quality.harmonix}), its {@value Agent#TYPE} and the configuration's name. So every instance of a type
     * has its own id without repeating it in its configuration. An agent with a type and neither (the one instance
     * of a type made without configuration) answers to its type.
     *
     * @param property the service's properties by name (a map's {@code get}, a service reference's
     *     {@code getProperty})
     * @return the id, or null when the service has no id and no type
     */
    public static String idOf(Function<String, Object> property) {
        Object id = property.apply(Agent.ID);
        if (id != null) {
            return id.toString();
        }
        Object type = property.apply(Agent.TYPE);
        if (type == null) {
            return null;
        }
        Object pid = property.apply(SERVICE_PID);
        String name = pid instanceof String p && p.indexOf('~') >= 0 ? p.substring(p.indexOf('~') + 1) : "";
        return name.isEmpty() ? type.toString() : type + "." + name;
    }

    /** Removes the agent service of {@code serviceId}, under whatever id it claimed. */
    public synchronized void remove(long serviceId) {
        claims.values().forEach(list -> list.removeIf(c -> c.serviceId() == serviceId));
        claims.values().removeIf(List::isEmpty);
    }

    /**
     * An agent service whose properties changed (DS's {@code updated}): its claim, under whatever id it made, is
     * replaced by one for {@code id} in one step. Removing and adding it in two would leave a moment in which the id
     * has no agent, and a cycle that looked it up then would fail the agent's entry as absent (found by
     * KillRecoveryIT: the files agent's configuration arriving after its start lost one cycle of its state).
     */
    public synchronized void replace(String id, T agent, int ranking, long serviceId) {
        remove(serviceId);
        add(id, agent, ranking, serviceId);
    }

    /** Removes the agent service of these service properties ({@value #SERVICE_ID}). */
    public void remove(Map<String, ?> properties) {
        remove(serviceId(properties));
    }

    /** @return the agent that answers {@code id} by the rule, or null when none claims it */
    public synchronized T get(String id) {
        List<Claim<T>> same = claims.get(id);
        return same == null ? null : same.get(0).agent();
    }

    /** @return every agent that claims {@code id}, the one that answers first; empty when none does */
    public synchronized List<T> claiming(String id) {
        List<Claim<T>> same = claims.get(id);
        return same == null ? List.of() : same.stream().map(Claim::agent).toList();
    }

    /** @return the agent that answers each id present, ordered by id */
    public synchronized SortedMap<String, T> inUse() {
        SortedMap<String, T> out = new TreeMap<>();
        claims.forEach((id, same) -> out.put(id, same.get(0).agent()));
        return out;
    }

    private static long serviceId(Map<String, ?> properties) {
        if (properties.get(SERVICE_ID) instanceof Long id) {
            return id;
        }
        throw new IllegalArgumentException("an agent service without a " + SERVICE_ID + ": " + properties);
    }
}
