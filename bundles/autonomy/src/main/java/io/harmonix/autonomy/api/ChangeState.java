package io.harmonix.autonomy.api;

/** Where a change request stands. */
public enum ChangeState {
    /** opened in quarantine mode: verified perhaps, never shipped */
    DRAFT,
    /** committed on its branch, not verified yet */
    OPEN,
    /** every required check green on {@link ChangeRequest#verifiedCommit()} */
    VERIFIED,
    /** a required check failed, was missing or timed out, or the rebase on main failed */
    FAILED,
    /** high or critical risk, verified: waits for {@code change:approve} */
    AWAITING_APPROVAL,
    /** main fast-forwarded to it */
    SHIPPED,
    /** SHIP decided not to ship it (the decision says why); it may be shipped by a later run */
    REFUSED,
    /** closed without shipping (superseded, its items cancelled) */
    CLOSED
}
