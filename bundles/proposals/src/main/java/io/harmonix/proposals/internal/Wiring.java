package io.harmonix.proposals.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * This bundle's parts over a test database, as {@link LedgerComponent} wires them: the ledger, and the validation
 * workflow's task handler with the components and actions it serves, for the test's workflow engine. Public for
 * {@code io.harmonix.proposals.testing.TestLedger} only (the package is private to the bundle), so that the tests of
 * other bundles use the real ledger without constructing its classes.
 */
public record Wiring(EnhancementLedger ledger, TaskHandler handler, List<String> components, List<String> actions) {
    /**
     * @param agents the running agents and their service properties ({@link Agent#TYPE}, {@link Agent#ID}), read
     *     when a validation looks for one
     * @param scratch where validations make their worktrees
     */
    public static Wiring forTests(DataSource dataSource, SchemaMigrator migrator, Supplier<WorkflowService> workflows,
            Supplier<SandboxExecutor> executor, Map<Agent, Map<String, Object>> agents, Path scratch)
            throws SQLException {
        migrator.migrate(EnhancementStore.COMPONENT, EnhancementStore.MIGRATIONS);
        Validation.Settings settings = new Validation.Settings(scratch, Duration.ofMinutes(5), Duration.ofMinutes(5),
                0.1, false);
        Proposals p = Proposals.over(dataSource, workflows, executor,
                (type, id) -> AgentChoice.choose(agents, type, id), () -> settings, (now, previous) -> { });
        return new Wiring(p.ledger(), p.handlers(), List.of(Handlers.COMPONENT), Handlers.ACTIONS);
    }

    /** Deploys the shipped {@value EnhancementLedger#VALIDATION_WORKFLOW} workflow, as the bundle does at start. */
    public boolean deployWorkflow(WorkflowService workflows, Consumer<String> log) {
        return ValidationWorkflow.deploy(workflows, log);
    }
}
