/**
 * The autonomy controller: the one component that moves a repository's main branch, and only through governed steps
 * that leave a decision record.
 *
 * <ul>
 *   <li>{@link io.harmonix.autonomy.api.AutonomyController}: controller runs (SENSE, THINK, ACT, VERIFY, SHIP, LEARN as
 *       a durable workflow, one run at a time, triggers coalesced), the break-glass {@link
 *       io.harmonix.autonomy.api.Toggles toggles} and quarantine, {@link io.harmonix.autonomy.api.AutonomyStatus
 *       status}.</li>
 *   <li>{@link io.harmonix.autonomy.api.BacklogLedger}: {@code data/ledger/backlog.json}, the {@link
 *       io.harmonix.autonomy.api.BacklogItem items} of work with exactly the seed's fields, written atomically,
 *       validated ({@link io.harmonix.autonomy.api.LedgerProblem}).</li>
 *   <li>{@link io.harmonix.autonomy.api.ChangeRequests}: {@link io.harmonix.autonomy.api.ChangeRequest change requests}
 *       on {@code harmonix/<item-id>} branches, verified on their exact SHA in the fleet's sandbox, shipped by
 *       fast-forward with compare-and-swap ({@link io.harmonix.autonomy.api.ShipOutcome}).</li>
 *   <li>{@link io.harmonix.autonomy.api.DecisionLog}: every {@link io.harmonix.autonomy.api.Decision decision} under
 *       the {@link io.harmonix.autonomy.api.Policy policies}, appended to the federated index in its own namespace,
 *       so the audit trail of autonomous actions is tamper-evident and provable with {@code index:prove}.</li>
 * </ul>
 *
 * <p>1.0.0: first version. 1.1.0: {@link io.harmonix.autonomy.api.AutonomyController#leader()} and {@link
 * io.harmonix.autonomy.api.AutonomyController#leads()}, the controller led by one runtime of a cluster; {@code
 * ChangeRequests.changes(state, repo, offset, limit)}, a page read as a page.
 */
@Export
@Version("1.1.0")
package io.harmonix.autonomy.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
