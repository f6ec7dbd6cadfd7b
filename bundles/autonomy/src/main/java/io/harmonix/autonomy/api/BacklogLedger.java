package io.harmonix.autonomy.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The backlog ledger, {@code data/ledger/backlog.json}: a JSON document of {@link BacklogItem items}, written
 * atomically (temp file, fsync, rename, fsync of the folder) under a lock that several writers (threads and
 * processes) share. A ledger that does not validate is never overwritten: writes are refused with the reason until a
 * person repairs it, and a copy is kept aside.
 */
@ProviderType
public interface BacklogLedger {
    /** @return the ledger file */
    Path path();

    /**
     * @return every item, highest priority first, then oldest
     * @throws IllegalStateException when the file does not validate (the message names the first problem)
     */
    List<BacklogItem> items();

    Optional<BacklogItem> item(String id);

    /**
     * Inserts the item, or updates the one with its id, keeping that one's {@code created_at}.
     *
     * @return the item as written
     * @throws IllegalStateException when the file does not validate (nothing written)
     */
    BacklogItem upsert(BacklogItem item);

    /**
     * @return the item with that status, {@code updated_at} now, and the decision and run when not null
     * @throws java.util.NoSuchElementException for an unknown id
     */
    BacklogItem setStatus(String id, ItemStatus status, String policyDecisionRef, String runId);

    /** @return the problems of the file as it is on disk (empty when valid, or when there is no file yet) */
    List<LedgerProblem> validate();
}
