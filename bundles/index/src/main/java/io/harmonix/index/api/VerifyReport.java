package io.harmonix.index.api;

/**
 * What {@code verify} found.
 *
 * @param namespace the namespace
 * @param records records checked
 * @param bytes bytes read
 * @param ok true when every CRC, the Merkle tree and the manifest agree
 * @param problem the first problem (naming the record, segment and offset), or null
 */
public record VerifyReport(String namespace, long records, long bytes, boolean ok, String problem) {
}
