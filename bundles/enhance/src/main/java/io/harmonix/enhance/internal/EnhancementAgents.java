package io.harmonix.enhance.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.enhance.api.EnhancementAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The enhancement agents present, by agent id (the runner's rule, {@link AgentsById}), with their types and the
 * versions of the bundles that provide them: what {@code enhance:scan} picks from and what SARIF names as the tool.
 */
@Component(service = EnhancementAgents.class)
public final class EnhancementAgents {
    /** One agent instance. @param version the version of its bundle, as SARIF's tool.driver.version */
    public record Present(String id, String type, String version, EnhancementAgent agent) {
    }

    private final AgentsById<Present> byId = new AgentsById<>();

    @Reference(name = "agent", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbind")
    void bind(EnhancementAgent agent, ServiceReference<EnhancementAgent> ref, Map<String, Object> properties) {
        add(agent, properties, ref.getBundle() == null ? "0.0.0" : ref.getBundle().getVersion().toString());
    }

    void unbind(EnhancementAgent agent, Map<String, Object> properties) {
        remove(properties);
    }

    /** Removes the agent of these service properties ({@code service.id}). */
    public void remove(Map<String, ?> properties) {
        byId.remove(properties);
    }

    /**
     * Adds an agent as DS does, by its service properties ({@value Agent#TYPE}, {@code service.id}, and the id
     * properties {@link AgentsById#idOf} reads).
     *
     * @return false when the service has neither an id nor a type
     */
    public boolean add(EnhancementAgent agent, Map<String, ?> properties, String version) {
        String id = AgentsById.idOf(properties::get);
        if (id == null) {
            return false;
        }
        Object type = properties.get(Agent.TYPE);
        return byId.add(new Present(id, type == null ? "" : type.toString(), version, agent), properties);
    }

    /** @return every agent present, by id */
    public SortedMap<String, Present> all() {
        return byId.inUse();
    }

    /** @return the types present, sorted */
    public List<String> types() {
        return new ArrayList<>(new TreeSet<>(all().values().stream().map(Present::type).toList()));
    }

    /**
     * The one instance a scan of {@code type} uses: the one whose id is the type (the unconfigured instance, or one
     * configured with that id), else the lowest id of that type.
     */
    public Optional<Present> forType(String type) {
        SortedMap<String, Present> all = all();
        Present exact = all.get(type);
        if (exact != null && exact.type().equals(type)) {
            return Optional.of(exact);
        }
        return all.values().stream().filter(p -> p.type().equals(type)).findFirst();
    }

    /** @return the agent of this id, else the one {@link #forType} picks for this type */
    public Optional<Present> byIdOrType(String idOrType) {
        Present p = all().get(idOrType);
        return p != null ? Optional.of(p) : forType(idOrType);
    }

    /** @return the type of the agent of this id, when it is present */
    public Optional<String> typeOf(String id) {
        return Optional.ofNullable(all().get(id)).map(Present::type);
    }

    /** @return "quality (quality, quality.harmonix), security (security)" for messages */
    public String describe() {
        if (all().isEmpty()) {
            return "none";
        }
        Map<String, List<String>> ids = new TreeMap<>();
        all().values().forEach(p -> ids.computeIfAbsent(p.type(), k -> new ArrayList<>()).add(p.id()));
        List<String> parts = new ArrayList<>();
        ids.forEach((type, list) -> parts.add(type + " (" + String.join(", ", list) + ")"));
        return String.join(", ", parts);
    }
}
