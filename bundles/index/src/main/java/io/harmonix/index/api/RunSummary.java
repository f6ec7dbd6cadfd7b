package io.harmonix.index.api;

/**
 * A run as the index knows it, pruned records included.
 *
 * @param runId the run
 * @param firstCycle its first indexed cycle
 * @param lastCycle its last indexed cycle
 * @param records how many of its records are still held (not pruned)
 */
public record RunSummary(String runId, long firstCycle, long lastCycle, long records) {
}
