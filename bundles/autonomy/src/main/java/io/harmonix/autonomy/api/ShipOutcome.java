package io.harmonix.autonomy.api;

/**
 * What SHIP did with a change.
 *
 * @param shipped true when main now points at the change
 * @param decision the decision record written before any ref moved
 * @param mainBefore main's commit when SHIP started
 * @param mainAfter main's commit when SHIP ended (equal to mainBefore unless shipped)
 */
public record ShipOutcome(ChangeRequest change, boolean shipped, Decision decision, String mainBefore,
        String mainAfter) {
}
