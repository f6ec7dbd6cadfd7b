package io.harmonix.runner.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * What to run.
 *
 * @param runId the id to give the run, or null for a generated one
 * @param agentIds the agents to call each cycle; empty means every agent present at each cycle (agents deployed
 *     while the run goes join its next cycle, agents removed leave it)
 * @param cycles the number of the run's last cycle (for a new run, how many cycles), or {@link #UNTIL_STOPPED}
 * @param interval the pause between the end of a cycle and the start of the next
 * @param deadline how long each agent may take, counted from the cycle's start; null for the runner's default
 * @param inputs inputs handed to every agent each cycle (a JSON object), or null for none
 */
public record RunRequest(String runId, List<String> agentIds, long cycles, Duration interval, Duration deadline,
        JsonNode inputs) {
    /** {@link #cycles()} of a run that goes on until it is stopped. */
    public static final long UNTIL_STOPPED = 0;

    public RunRequest {
        agentIds = agentIds == null ? List.of() : List.copyOf(agentIds);
        interval = interval == null ? Duration.ZERO : interval;
        if (cycles < 0) {
            throw new IllegalArgumentException("cycles must be a positive number, or 0 for until stopped; was "
                    + cycles);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative; was " + interval);
        }
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("deadline must be positive; was " + deadline);
        }
    }

    /** @return a request for {@code cycles} cycles of the given agents (none: all), no interval, default deadline */
    public static RunRequest of(long cycles, String... agentIds) {
        return new RunRequest(null, List.of(agentIds), cycles, Duration.ZERO, null, null);
    }
}
