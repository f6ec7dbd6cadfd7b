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
    /**
     * @return the number of the run's last committed cycle: a fork's cycles are numbered on from the cycle it left
     *     ({@code forkedFrom} {@code <run>:<cycle>}); when that does not end in a number, counted from 1 as for any
     *     run (a reader of its cycles then reads at worst more than needed)
     */
    public long lastCycle() {
        long base = 0;
        if (forkedFrom != null) {
            try {
                base = Long.parseLong(forkedFrom.substring(forkedFrom.lastIndexOf(':') + 1));
            } catch (NumberFormatException e) {
                base = 0;
            }
        }
        return base + completedCycles;
    }
}
