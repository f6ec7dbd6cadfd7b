package io.harmonix.waves.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One agent instance of a wave: a factory configuration of its type's bundle, which Declarative Services makes into
 * an agent the runner calls.
 *
 * @param agentId the agent's id, {@code <type>.<configuration name>} ({@code quality.w-3f2a9c1b-1})
 * @param type the agent type ({@link Focus#type()})
 * @param components the components of the target it owns and analyses
 * @param leaseExpiry when its ownership of them runs out unless renewed (each cycle renews it), or null when it
 *     holds no lease (the wave ended, or it lost its components to another instance)
 * @param waveId the wave it belongs to
 * @param doing what it is doing, in a few words ("cycle 2 of 3", "waiting for its agent", "done")
 * @param runId the runner's run of this instance ({@code wave-<wave id>-<n>}: a wave is one run per instance, so
 *     that the runtimes of a cluster share its agent steps), or null when not known (since 1.2)
 */
public record AgentInstance(String agentId, String type, List<String> components, Instant leaseExpiry,
        String waveId, String doing, String runId) {
    public AgentInstance {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(waveId, "waveId");
        components = List.copyOf(components);
        doing = doing == null ? "" : doing;
    }

    /** An instance whose run is not known: the constructor of 1.0 and 1.1. */
    public AgentInstance(String agentId, String type, List<String> components, Instant leaseExpiry, String waveId,
            String doing) {
        this(agentId, type, components, leaseExpiry, waveId, doing, null);
    }
}
