package io.harmonix.index.api;

import java.util.List;

/**
 * What retention pruned, or would prune.
 *
 * @param namespace the namespace
 * @param segments the segment files (whole, closed) removed or to remove
 * @param records their records
 * @param bytes their bytes
 * @param reasons per segment, the rule that selected it
 */
public record PruneReport(String namespace, List<String> segments, long records, long bytes, List<String> reasons) {
}
