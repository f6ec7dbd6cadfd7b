package io.harmonix.autonomy.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Change requests: ACT opens them, VERIFY checks them on their exact SHA in the fleet's sandbox, SHIP moves main to
 * them. {@link #ship} is the only code in Harmonix that moves a main branch: fast-forward only, compare-and-swap
 * against the commit that was verified, after its decision record is durable; nothing ever force-moves a main
 * branch.
 */
@ProviderType
public interface ChangeRequests {
    /** @return the requests of that state and repository (all for null), newest first */
    List<ChangeRequest> changes(ChangeState state, String repo);

    /**
     * A page of {@link #changes(ChangeState, String)}, read as a page from where the requests are kept (a console
     * page never reads them all). The default cuts it from the whole list, for providers that keep few.
     *
     * @return at most {@code limit} requests from the {@code offset}-th, newest first
     * @throws IllegalArgumentException for a negative offset or a limit below 1
     * @since 1.1
     */
    default List<ChangeRequest> changes(ChangeState state, String repo, int offset, int limit) {
        checkPage(offset, limit);
        return changes(state, repo).stream().skip(offset).limit(limit).toList();
    }

    /** @throws IllegalArgumentException for a negative offset or a limit below 1, naming it */
    static void checkPage(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: expected 0 or more, got " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit: expected 1 or more, got " + limit);
        }
    }

    Optional<ChangeRequest> change(long id);

    /** @return the unified diff of the request against its base commit */
    String diff(long id);

    /**
     * Makes the requests for the planned changes: items of one repository with the same group key become one request;
     * an item that already has an open request gets that one back.
     *
     * @param draft true in quarantine mode: the requests are drafts and never ship
     * @return the requests, one per group
     */
    List<ChangeRequest> open(List<PlannedChange> planned, boolean draft, String runId);

    /**
     * Rebases the request on the repository's current main and runs the required checks (the repository's explicit
     * list, build and test by default) on exactly that SHA; a missing, never started or timed-out check is red.
     *
     * @return the request, {@link ChangeState#VERIFIED}, {@link ChangeState#AWAITING_APPROVAL} or {@link
     *     ChangeState#FAILED} (drafts stay drafts)
     */
    ChangeRequest verify(long id, String runId);

    /**
     * Decides whether the request ships under the toggles, writes the decision, then fast-forwards main by
     * compare-and-swap. If main moved since verification the request is verified again on the new main, once per
     * {@code runId}.
     */
    ShipOutcome ship(long id, Toggles toggles, String runId);

    /**
     * Records a person's approval of a high or critical risk request (a decision); SHIP then applies the same checks.
     *
     * @throws IllegalStateException when it is not awaiting approval
     */
    ChangeRequest approve(long id, String who, String why);

    /**
     * @return the number of changes shipped on the given day in the toggles' zone, from the records, and every ship
     *     under way (decided, not finished): what the daily cap counts
     */
    int shippedOn(java.time.LocalDate day, java.time.ZoneId zone);
}
