package io.harmonix.proposals.internal;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.fleet.api.Repository;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStats;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.workflow.api.WorkflowService;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The ledger: records in the {@link EnhancementStore}, validation started once per enhancement as an instance of the
 * {@value EnhancementLedger#VALIDATION_WORKFLOW} workflow whose id derives from the enhancement's id
 * ({@link WorkflowService#startOnce}), rollbacks as reverts that go through the same validation.
 */
final class Ledger implements EnhancementLedger {
    private final EnhancementStore store;
    private final Supplier<WorkflowService> workflows;
    private final Validation.Changes changes;

    Ledger(EnhancementStore store, Supplier<WorkflowService> workflows, Validation.Changes changes) {
        this.store = store;
        this.workflows = workflows;
        this.changes = changes;
    }

    @Override
    public Enhancement submit(String waveId, String agentId, Repository repository, Finding finding,
            Proposal proposal) {
        if (!proposal.fingerprint().equals(finding.fingerprint())) {
            throw new IllegalArgumentException("the proposal fixes finding " + proposal.fingerprint()
                    + ", not the finding given (" + finding.fingerprint() + ")");
        }
        requireCommit(proposal.commit(), "the proposal's commit");
        return sql(() -> {
            long id = store.insert(EnhancementStore.Draft.of(waveId, agentId, repository, finding, proposal));
            return get(id);
        });
    }

    private static void requireCommit(String commit, String what) {
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException(what + " must be a full commit id (40 lower-case hex digits); was '"
                    + commit + "'");
        }
    }

    @Override
    public Optional<Enhancement> enhancement(long id) {
        return sql(() -> store.get(id));
    }

    private Enhancement get(long id) throws SQLException {
        return store.get(id).orElseThrow(() -> new NoSuchElementException("no enhancement " + id));
    }

    @Override
    public List<Enhancement> enhancements(EnhancementStatus status, String waveId) {
        return sql(() -> store.list(status, waveId));
    }

    /** The key of an enhancement's validation instance: the same enhancement always gives the same instance. */
    static String validationKey(long id) {
        return VALIDATION_WORKFLOW + ":" + id;
    }

    @Override
    public String validate(long id) {
        Enhancement e = sql(() -> get(id));
        if (e.status() == EnhancementStatus.PROPOSED) {
            if (sql(() -> store.move(id, EnhancementStatus.PROPOSED, EnhancementStatus.VALIDATING, "",
                    Map.of()))) {
                changes.changed(sql(() -> get(id)), EnhancementStatus.PROPOSED);
            }
        } else if (e.status() != EnhancementStatus.VALIDATING) {
            if (e.workflowInstance() != null) {
                return e.workflowInstance(); // validated once: the same instance, never a second validation
            }
            throw new IllegalStateException("enhancement " + id + " is " + e.status().id()
                    + ": only a proposed one is validated");
        }
        WorkflowService wf = workflows.get();
        if (wf == null) {
            throw new IllegalStateException("enhancement " + id + ": the workflow engine is not running");
        }
        String instance = wf.startOnce(validationKey(id), VALIDATION_WORKFLOW, null, Map.of("id", id), null).id();
        sql(() -> {
            store.set(id, Map.of("WORKFLOW_INSTANCE", instance));
            return null;
        });
        return instance;
    }

    /** Starts again the validations that a crash left without an instance (the engine resumes the others). */
    List<Long> resumeValidations() {
        List<Long> started = new ArrayList<>();
        for (Enhancement e : enhancements(EnhancementStatus.VALIDATING, null)) {
            WorkflowService wf = workflows.get();
            if (wf != null && (e.workflowInstance() == null || wf.instance(e.workflowInstance()).isEmpty())) {
                validate(e.id());
                started.add(e.id());
            }
        }
        return started;
    }

    @Override
    public Enhancement rollback(long id) {
        Enhancement e = sql(() -> get(id));
        if (e.revertedBy() != null) {
            Enhancement revert = sql(() -> get(e.revertedBy()));
            if (revert.status() == EnhancementStatus.PROPOSED) {
                validate(revert.id());
            }
            return sql(() -> get(revert.id()));
        }
        if (e.status() != EnhancementStatus.APPLIED) {
            throw new IllegalStateException("enhancement " + id + " is " + e.status().id()
                    + ": only an applied one is rolled back");
        }
        Path repo = Path.of(e.repositoryPath());
        String diff;
        String head;
        try {
            head = GitCli.git(repo, "rev-parse", "--verify", "HEAD^{commit}").strip();
            // the applied commit's change backwards: against its first parent, so a merge commit reverts whole;
            // in the form git apply reads whatever the repository's configuration asks of diffs (no prefix, colour,
            // a sub-folder's relative paths)
            diff = GitCli.git(repo, "diff", "--no-ext-diff", "--no-textconv", "--binary", "--full-index",
                    "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative", e.appliedCommit(),
                    e.appliedCommit() + "^1");
        } catch (java.io.IOException failed) {
            throw new IllegalStateException("enhancement " + id + ": no revert of " + e.appliedCommit() + ": "
                    + failed.getMessage(), failed);
        }
        if (diff.isBlank()) {
            throw new IllegalStateException("enhancement " + id + ": its applied commit " + e.appliedCommit()
                    + " changes nothing to revert");
        }
        EnhancementStore.Commands commands = sql(() -> store.commands(id));
        EnhancementStore.Draft draft = new EnhancementStore.Draft(e.waveId(), e.agentId(), e.agentType(),
                e.ruleId(), "revert:" + e.fingerprint(), e.severity(), e.component(), e.repository(),
                e.repositoryPath(), commands, head, diff, "Revert \"" + e.title() + "\"",
                "Rolls back enhancement " + id + " (applied as " + e.appliedCommit() + ").", id);
        long revertId = sql(() -> store.insert(draft));
        sql(() -> {
            store.set(id, Map.of("REVERTED_BY", revertId));
            return null;
        });
        validate(revertId);
        return sql(() -> get(revertId));
    }

    @Override
    public Enhancement markApplied(long id, String commit) {
        requireCommit(commit, "the applied commit");
        Enhancement e = sql(() -> get(id));
        if (e.status() != EnhancementStatus.APPLIED || !commit.equals(e.appliedCommit())) {
            if (!sql(() -> store.move(id, EnhancementStatus.VALIDATED, EnhancementStatus.APPLIED, null,
                    Map.of("APPLIED_COMMIT", commit, "APPLIED_AT", Instant.now())))) {
                throw new IllegalStateException("enhancement " + id + " is " + sql(() -> get(id)).status().id()
                        + ": only a validated one is applied");
            }
            changes.changed(sql(() -> get(id)), EnhancementStatus.VALIDATED);
        }
        Enhancement now = sql(() -> get(id));
        // a revert merged (or recorded again after a crash here): only now is its original's change gone from main
        if (now.revertOf() != null && sql(() -> store.move(now.revertOf(), EnhancementStatus.APPLIED,
                EnhancementStatus.ROLLED_BACK, "rolled back by enhancement " + id + " (applied as " + commit + ")",
                Map.of("ROLLED_BACK_AT", Instant.now())))) {
            changes.changed(sql(() -> get(now.revertOf())), EnhancementStatus.APPLIED);
        }
        return now;
    }

    @Override
    public Enhancement reject(long id, String reason) {
        sql(() -> get(id));
        if (!sql(() -> store.move(id, EnhancementStatus.PROPOSED, EnhancementStatus.REJECTED,
                "refused: " + (reason == null ? "" : reason), Map.of("VALIDATED_AT", Instant.now())))) {
            throw new IllegalStateException("enhancement " + id + " is " + sql(() -> get(id)).status().id()
                    + ": only a proposed one is refused");
        }
        Enhancement now = sql(() -> get(id));
        changes.changed(now, EnhancementStatus.PROPOSED);
        return now;
    }

    @Override
    public List<EnhancementStats> stats() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Duration> time = new TreeMap<>();
        for (Enhancement e : enhancements(null, null)) {
            String key = e.agentType() + "\n" + e.ruleId();
            long[] c = counts.computeIfAbsent(key, k -> new long[5]);
            time.merge(key, e.validationTime(), Duration::plus);
            if (e.isRollback()) {
                continue; // a revert's own fate is the rollback of its original, counted there
            }
            c[0]++;
            switch (e.status()) {
                case VALIDATED -> c[1]++;
                case REJECTED -> c[2]++;
                case APPLIED -> {
                    c[1]++;
                    c[3]++;
                }
                case ROLLED_BACK -> {
                    c[1]++;
                    c[3]++;
                    c[4]++;
                }
                default -> { }
            }
        }
        List<EnhancementStats> out = new ArrayList<>();
        counts.forEach((key, c) -> {
            String[] k = key.split("\n", 2);
            out.add(new EnhancementStats(k[0], k[1], c[0], c[1], c[2], c[3], c[4], time.get(key)));
        });
        return out;
    }

    /**
     * What the fleet said broke a repository: when the breaking commit is an applied enhancement's, its rollback is
     * proposed.
     *
     * @return the rollbacks proposed
     */
    List<Enhancement> repositoryBroken(String repository, String commit) {
        if (repository == null || commit == null) {
            return List.of();
        }
        List<Enhancement> out = new ArrayList<>();
        for (Enhancement e : sql(() -> store.appliedAt(repository, commit))) {
            out.add(rollback(e.id()));
        }
        return out;
    }

    /** A step of SQL whose failure is the caller's state problem, said with the store's message. */
    @FunctionalInterface
    interface Sql<T> {
        T run() throws SQLException;
    }

    static <T> T sql(Sql<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("the enhancement ledger's database: " + e.getMessage(), e);
        }
    }
}
