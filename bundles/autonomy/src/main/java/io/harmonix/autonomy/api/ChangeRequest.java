package io.harmonix.autonomy.api;

import java.time.Instant;
import java.util.List;

/**
 * A change request: one commit on branch {@code harmonix/<item-id>} (the first item's id when several items are
 * grouped) attributed to the bot (P-003), kept in Derby.
 *
 * @param itemIds the backlog items it addresses (several when grouped by rule)
 * @param kind what made it: {@code proposal} (a validated enhancement), {@code revert} (of a breaking commit), {@code
 *     fix} (a mechanical fix)
 * @param baseCommit the main commit it was made on
 * @param headCommit the commit of its branch
 * @param verifiedCommit the SHA the required checks ran on (the change rebased on main), or null
 * @param checkIds the check records of the last verification
 * @param decisionIds the decisions about it, oldest first
 * @param approvedBy who approved it (high and critical risk), or null
 */
public record ChangeRequest(long id, String repo, String branch, List<String> itemIds, String kind, String title,
        Risk risk, ChangeState state, String baseCommit, String headCommit, String verifiedCommit,
        List<Long> checkIds, List<String> decisionIds, String approvedBy, String approvalReason, String runId,
        Instant createdAt, Instant updatedAt) {
    public ChangeRequest {
        itemIds = List.copyOf(itemIds);
        checkIds = List.copyOf(checkIds);
        decisionIds = List.copyOf(decisionIds);
    }
}
