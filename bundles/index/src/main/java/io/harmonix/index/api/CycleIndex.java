package io.harmonix.index.api;

import io.harmonix.cycle.api.CycleSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The federated cycle index. The same service is the runner's {@link io.harmonix.cycle.api.CycleRecorder} for
 * the local namespace.
 */
@ProviderType
public interface CycleIndex {
    /** @return the namespace of this runtime's own cycles */
    String localNamespace();

    /** @return every namespace present, sorted */
    List<String> namespaces() throws IOException;

    /**
     * Appends snapshots to a namespace, durably as its sync policy says, with one sync for the whole batch.
     * Idempotent: a snapshot whose run already has that cycle (or a later one) is skipped.
     *
     * @return how many were appended (the rest were already there)
     * @throws IllegalArgumentException for a namespace name that is not 1-64 letters, digits, '.', '-' or '_'
     */
    int appendCycleSnapshots(String namespace, List<CycleSnapshot> snapshots) throws IOException;

    List<RunSummary> runs(String namespace) throws IOException;

    /** @return records of a namespace (of one run, or all when {@code runId} is null), in log order, paged */
    List<IndexedCycle> list(String namespace, String runId, long offset, int limit) throws IOException;

    /** @return the record of a cycle id, searched in every namespace (the local one first) */
    Optional<IndexedCycle> find(String cycleId) throws IOException;

    /**
     * Streams the snapshots of a run in cycle order, cycles {@code from} to {@code to} inclusive.
     *
     * @return how many were streamed
     */
    long replay(String namespace, String runId, long from, long to, Consumer<IndexedCycle> sink) throws IOException;

    IndexStats stats(String namespace) throws IOException;

    /** Re-reads every record: CRCs, the Merkle root against the manifest, the manifest against the segments. */
    VerifyReport verify(String namespace) throws IOException;

    /** @return the inclusion proof of a cycle against its namespace's current root */
    Proofs.Inclusion prove(String cycleId) throws IOException;

    /** @return the proof that the tree of {@code oldSize} leaves is a prefix of the one of {@code newSize} */
    Proofs.Consistency consistency(String namespace, long oldSize, long newSize) throws IOException;

    /** Applies (or with {@code dryRun} only reports) the namespace's retention rules. */
    PruneReport prune(String namespace, boolean dryRun) throws IOException;

    /**
     * The ways out of a damaged namespace: one whose segments hold records that do not verify followed by records
     * that do (or in a closed segment). Such a namespace opens degraded: its intact records are read, appends to it
     * are refused, {@link #verify} names the damage. With neither {@code from} nor {@code truncate}, only reports
     * the damage and the ways out; changes nothing.
     *
     * @param from a peer's copy of the namespace (a runtime's index folder, or a copy of the namespace's folder):
     *     the damaged records are restored from it, each verified against the Merkle root the manifest keeps;
     *     or null
     * @param truncate cut the log before the first bad record, the segments cut kept aside (not deleted)
     * @throws IllegalArgumentException when both are given, or for an unknown namespace
     * @throws IOException when the copy lacks a record or does not verify (then nothing changed)
     * @since 1.2
     */
    RepairReport repair(String namespace, Path from, boolean truncate) throws IOException;
}
