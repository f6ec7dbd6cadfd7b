package io.harmonix.index.api;

/**
 * The state of one namespace's log.
 *
 * @param namespace the namespace
 * @param treeSize records ever appended (the Merkle tree's size; pruned records count)
 * @param records records still held
 * @param segments segment files
 * @param bytes bytes of segment files
 * @param prunedRecords records pruned by retention
 * @param root current Merkle root, hex
 */
public record IndexStats(String namespace, long treeSize, long records, int segments, long bytes, long prunedRecords,
        String root) {
}
