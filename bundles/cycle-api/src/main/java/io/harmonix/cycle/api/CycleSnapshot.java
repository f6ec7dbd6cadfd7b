package io.harmonix.cycle.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The immutable record of one cycle of a run: the synchronization contract between the runner and whatever makes
 * cycles durable or ships them elsewhere. Its JSON form ({@link CycleSnapshots#toCanonicalJson}) validates against
 * {@link CycleSnapshots#SCHEMA_RESOURCE}.
 *
 * @param schemaVersion version of the snapshot format, {@link #SCHEMA_VERSION} for snapshots made by this API
 * @param runId the run
 * @param cycle the cycle number, starting at 1
 * @param cycleId the cycle's unique id, {@code <runId>:<cycle>} (see {@link #cycleIdOf})
 * @param startedAt when the cycle started
 * @param endedAt when the agents' results were collected
 * @param status how the cycle ended, from its entries
 * @param agents one entry per agent that took part, sorted by agent id
 * @param metrics numeric measurements of the whole cycle
 */
public record CycleSnapshot(
        int schemaVersion,
        String runId,
        long cycle,
        String cycleId,
        Instant startedAt,
        Instant endedAt,
        CycleStatus status,
        List<AgentEntry> agents,
        Map<String, Double> metrics) {

    /** The snapshot format version this API writes. */
    public static final int SCHEMA_VERSION = 1;

    public CycleSnapshot {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(cycleId, "cycleId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(status, "status");
        if (cycle < 1) {
            throw new IllegalArgumentException("cycle must be >= 1, was " + cycle);
        }
        agents = agents == null ? List.of()
                : agents.stream().sorted(Comparator.comparing(AgentEntry::agentId)).toList();
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /** @return the id of cycle {@code cycle} of run {@code runId} */
    public static String cycleIdOf(String runId, long cycle) {
        return runId + ":" + cycle;
    }

    /** @return the entry of the given agent, or null when it did not take part */
    public AgentEntry agent(String agentId) {
        return agents.stream().filter(a -> a.agentId().equals(agentId)).findFirst().orElse(null);
    }
}
