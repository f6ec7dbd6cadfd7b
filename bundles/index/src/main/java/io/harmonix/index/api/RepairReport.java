package io.harmonix.index.api;

import java.util.List;

/**
 * What {@link CycleIndex#repair} found in a namespace and did.
 *
 * @param namespace the namespace
 * @param damage each damaged stretch found (record, cycle id, segment, offset, what is wrong), empty when intact
 * @param done what the repair did, or null when it only reported
 * @param ways the ways out of the damage (the commands to give), empty when there is nothing to repair or it was
 *     repaired
 */
public record RepairReport(String namespace, List<String> damage, String done, List<String> ways) {
}
