package io.harmonix.autonomy.api;

/**
 * What ACT asks {@link ChangeRequests#open} to make for one backlog item.
 *
 * @param itemId the backlog item
 * @param repo the repository
 * @param kind {@code proposal}, {@code revert} or {@code fix}
 * @param title one line, the commit subject
 * @param risk the item's risk
 * @param groupKey items with the same repository and group key become one request (the grouping rule's key, for
 *     example {@code dependency-updates}); null: a request of its own
 * @param enhancementId for {@code proposal}: the validated enhancement whose commit is applied; else 0
 * @param revertCommit for {@code revert}: the commit to revert; else null
 * @param diff for {@code fix}: a unified diff against main; else null
 */
public record PlannedChange(String itemId, String repo, String kind, String title, Risk risk, String groupKey,
        long enhancementId, String revertCommit, String diff) {
}
