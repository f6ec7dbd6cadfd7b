package io.harmonix.waves.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A wave: agent instances over a target's components, run together by the runner as one run.
 *
 * @param id its id ({@code w-} and 8 hex digits), also the prefix of its instances' configuration names
 * @param target the target's folder (absolute)
 * @param size its size
 * @param focus the agent type of a small wave, or null for a wave across every type
 * @param components the components it covers
 * @param status where it is
 * @param instances its agent instances
 * @param runId the runner's run of it, or null before it started
 * @param cycles how many cycles its run does
 * @param series the infinite-mode series it belongs to, or null
 * @param startedAt when it was started
 * @param endedAt when it ended, or null
 * @param message why it stopped or failed, or null
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
