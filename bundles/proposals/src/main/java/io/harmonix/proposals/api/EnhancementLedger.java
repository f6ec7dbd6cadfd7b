package io.harmonix.proposals.api;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.fleet.api.Repository;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The enhancements proposed to the fleet's repositories (kept in Derby), their validation through the
 * {@value #VALIDATION_WORKFLOW} workflow, and their rollback. Nothing here moves a repository's main branch: a
 * validated enhancement is a commit on {@code harmonix/enhance/<id>}; merging it belongs to the autonomy controller,
 * which records it with {@link #markApplied}.
 */
@ProviderType
public interface EnhancementLedger {
    /** The name of the workflow that validates an enhancement (deploy another version of it to replace it). */
    String VALIDATION_WORKFLOW = "enhancement-validation";
    /**
     * Event type published on every change of an enhancement's status; subject: its id; data: {@code id, status,
     * previous, agentType, ruleId, repository, waveId, reason}.
     */
    String STATUS_EVENT = "harmonix.enhancement.status";

    /**
     * Records a proposal. Idempotent: the same repository, fingerprint and base commit give the same record (the
     * first one, whatever its status), so that an agent proposing the same fix every cycle makes one enhancement.
     *
     * @param waveId the wave it comes from, or null
     * @param agentId the agent instance ({@code TYPE.NAME}), or null
     * @param repository the repository the diff applies to (its build and test commands are what validation runs)
     * @param finding what the proposal fixes
     * @param proposal the fix: its diff against its commit
     * @throws IllegalArgumentException when the proposal is not the finding's (another fingerprint), or its commit is
     *     not 40 hex digits
     */
    Enhancement submit(String waveId, String agentId, Repository repository, Finding finding, Proposal proposal);

    Optional<Enhancement> enhancement(long id);

    /** @return the enhancements of that status (every one for null) and that wave (every wave for null), newest first */
    List<Enhancement> enhancements(EnhancementStatus status, String waveId);

    /** @return the enhancements of that status (every one for null), newest first */
    default List<Enhancement> enhancements(EnhancementStatus status) {
        return enhancements(status, null);
    }

    /**
     * Starts the enhancement's validation, or finds the one started before: a proposal is validated once (asked
     * again once decided, the answer is the instance that decided it).
     *
     * @return the id of the workflow instance that validates it
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException when it was never validated and is no longer proposed (refused), saying which
     *     status it has, or when the workflow engine is not running
     */
    String validate(long id);

    /**
     * Proposes the rollback of an applied enhancement: a revert of its applied commit (against its first parent) on
     * the repository's {@code HEAD} (its checked-out branch, normally the main one), committed on a branch of its own
     * through the same validation as any proposal. The original becomes rolled back when the revert is merged
     * ({@link #markApplied} of the revert); until then it stays applied. Asking again gives the same revert.
     *
     * @return the revert's enhancement (its validation started)
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException when it is not applied, or its revert cannot be made (git's message)
     */
    Enhancement rollback(long id);

    /**
     * Records that a validated enhancement was merged: what the autonomy controller calls once it has moved the main
     * branch. A revert recorded so moves its original to rolled back.
     *
     * @param commit the commit of the main branch that holds it (40 hex digits)
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException when it is not validated
     */
    Enhancement markApplied(long id, String commit);

    /**
     * Refuses a proposed enhancement without validating it (an ownership or aggregation conflict, for example).
     *
     * @throws IllegalStateException when it is no longer proposed
     */
    Enhancement reject(long id, String reason);

    /** @return per agent type and rule, sorted by both */
    List<EnhancementStats> stats();
}
