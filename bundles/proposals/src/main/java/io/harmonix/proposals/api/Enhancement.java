package io.harmonix.proposals.api;

import io.harmonix.enhance.api.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The record of one proposed enhancement: a finding's fix as a diff on a commit of a repository, and what became of
 * it. Kept by the {@link EnhancementLedger}.
 *
 * @param id unique, increasing; the branch of its result is {@code harmonix/enhance/<id>}
 * @param waveId the wave that made it, or null
 * @param agentId the agent instance that proposed it ({@code TYPE.NAME}), or null
 * @param agentType the agent's type ({@code quality}, ...): the finding's
 * @param ruleId the rule that found what it fixes: the enhancement's type
 * @param fingerprint the fingerprint of the finding it fixes
 * @param severity the finding's severity
 * @param component the finding's component ("" for the repository's root)
 * @param repository the repository's name
 * @param repositoryPath the repository's folder (a working tree or a bare repository)
 * @param baseCommit the commit the diff applies to (40 hex digits)
 * @param diff the unified diff
 * @param title what it does, in a few words
 * @param details what it improves and the finding's message
 * @param status where it stands
 * @param reason why it stands there: the validation's decision with its reasons, or why it was refused; "" when
 *     nothing was decided yet
 * @param validation the steps of its validation, in order (empty before it ran)
 * @param branch {@code harmonix/enhance/<id>} once its commit is made, else null
 * @param resultCommit the commit on {@link #branch} (the base with the diff applied), or null
 * @param appliedCommit the commit of the main branch that holds it once applied, or null
 * @param proposedAt when it was submitted
 * @param validatedAt when its validation decided (validated or rejected), or null
 * @param appliedAt when it was recorded applied, or null
 * @param rolledBackAt when its revert was recorded applied (merged), or null
 * @param revertOf for a rollback: the id of the enhancement it reverts, else null
 * @param revertedBy the id of the rollback proposed for it, else null
 * @param workflowInstance the validation's workflow instance, or null before it started
 */
public record Enhancement(long id, String waveId, String agentId, String agentType, String ruleId, String fingerprint,
        Severity severity, String component, String repository, String repositoryPath, String baseCommit,
        String diff, String title, String details, EnhancementStatus status, String reason,
        List<ValidationStep> validation, String branch, String resultCommit, String appliedCommit,
        Instant proposedAt, Instant validatedAt, Instant appliedAt, Instant rolledBackAt, Long revertOf,
        Long revertedBy, String workflowInstance) {

    /** The prefix of every branch an enhancement's result is committed on. */
    public static final String BRANCH_PREFIX = "harmonix/enhance/";

    public Enhancement {
        Objects.requireNonNull(agentType, "agentType");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(repositoryPath, "repositoryPath");
        Objects.requireNonNull(baseCommit, "baseCommit");
        Objects.requireNonNull(diff, "diff");
        Objects.requireNonNull(status, "status");
        component = component == null ? "" : component;
        title = title == null ? "" : title;
        details = details == null ? "" : details;
        reason = reason == null ? "" : reason;
        validation = List.copyOf(validation == null ? List.of() : validation);
    }

    /** @return the branch an enhancement of this id is committed on */
    public static String branchOf(long id) {
        return BRANCH_PREFIX + id;
    }

    /** @return the commit a rollback of this enhancement reverts: the applied one */
    public String commitToRevert() {
        return appliedCommit;
    }

    /** @return true when this enhancement is the revert of another */
    public boolean isRollback() {
        return revertOf != null;
    }

    /** @return the time its validation steps took together */
    public Duration validationTime() {
        return validation.stream().map(ValidationStep::duration).reduce(Duration.ZERO, Duration::plus);
    }
}
