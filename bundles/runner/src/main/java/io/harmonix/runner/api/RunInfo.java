package io.harmonix.runner.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A view of a run at one moment.
 *
 * @param runId the run
 * @param state where it is
 * @param agentIds the agents it selects; empty means all agents present
 * @param cycles the number of its last cycle, {@link RunRequest#UNTIL_STOPPED} for no limit (a fork's cycles
 *     are numbered on from the cycle it was forked from)
 * @param interval the pause between cycles
 * @param deadline each agent's deadline per cycle
 * @param completedCycles how many cycles were committed
 * @param failedEntries how many agent entries failed or timed out, over all its cycles
 * @param startedAt when it started
 * @param endedAt when it finished, or null
 * @param message why it stopped or failed, or null
 * @param forkedFrom {@code <run>:<cycle>} it was forked from, or null
 */
public record RunInfo(String runId, RunState state, List<String> agentIds, long cycles, Duration interval,
        Duration deadline, long completedCycles, long failedEntries, Instant startedAt, Instant endedAt,
        String message, String forkedFrom) {
}
