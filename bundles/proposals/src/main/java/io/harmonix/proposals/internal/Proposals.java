package io.harmonix.proposals.internal;

import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.workflow.api.WorkflowService;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The parts of this bundle wired together over one database: what {@link LedgerComponent} is made of, and what the
 * tests make over a test database and engine.
 *
 * @param ledger the ledger
 * @param handlers the validation workflow's task handler
 */
record Proposals(Ledger ledger, Handlers handlers) {
    /** The tables must be migrated ({@link EnhancementStore#MIGRATIONS}). */
    static Proposals over(DataSource dataSource, Supplier<WorkflowService> workflows,
            Supplier<SandboxExecutor> executor, Validation.Agents agents, Supplier<Validation.Settings> settings,
            Validation.Changes changes) {
        EnhancementStore store = new EnhancementStore(dataSource);
        return new Proposals(new Ledger(store, workflows, changes),
                new Handlers(new Validation(store, executor, agents, settings, changes)));
    }
}
