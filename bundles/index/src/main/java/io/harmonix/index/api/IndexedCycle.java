package io.harmonix.index.api;

import io.harmonix.cycle.api.CycleSnapshot;
import java.time.Instant;

/**
 * A snapshot as the index holds it.
 *
 * @param namespace the log it is in
 * @param sequence its position in that log, from 0 (its Merkle leaf index)
 * @param recordedAt when it was appended
 * @param snapshot the snapshot
 */
public record IndexedCycle(String namespace, long sequence, Instant recordedAt, CycleSnapshot snapshot) {
}
