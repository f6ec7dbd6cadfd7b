package io.harmonix.waves.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A wave: agent instances over a target's components, each run by the runner as a run of its own
 * ({@link AgentInstance#runId()}), so that in a cluster its agent steps go wherever there is room; its cycles are
 * put together across its runs, each once all its runs committed it.
 *
 * @param id its id ({@code w-} and 8 hex digits), also the prefix of its instances' configuration names
 * @param target the target's folder (absolute)
 * @param size its size
 * @param focus the agent type of a small wave, or null for a wave across every type
 * @param components the components it covers
 * @param status where it is
 * @param instances its agent instances
 * @param runId the prefix of its runs' ids ({@code wave-<id>}; instance {@code n}'s run is that and {@code -n}, see
 *     {@link AgentInstance#runId()}); up to 1.1 it was the wave's one run
 * @param cycles how many cycles each of its runs does
 * @param series the infinite-mode series it belongs to, or null
 * @param startedAt when it was started
 * @param endedAt when it ended, or null
 * @param message why it stopped or failed, or that a stop was requested and its runs are stopping in the
 *     runtimes that drive them, or null
 */
public record Wave(String id, String target, WaveSize size, Focus focus, List<String> components, WaveStatus status,
        List<AgentInstance> instances, String runId, int cycles, String series, Instant startedAt, Instant endedAt,
        String message) {
    public Wave {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        components = List.copyOf(components);
        instances = List.copyOf(instances);
    }
}
