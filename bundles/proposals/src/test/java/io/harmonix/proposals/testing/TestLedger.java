package io.harmonix.proposals.testing;

import io.harmonix.cycle.api.Agent;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.internal.Wiring;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.testing.TestEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The real enhancement ledger for the tests of other bundles (the waves coordinator's): its tables on the test's
 * Derby, the durable workflow engine ({@link TestEngine}) with the validation workflow this bundle ships and its task
 * handler, and the sandboxed executor the test gives (the fleet-sandbox test-jar's {@code TestSandbox}). The agents
 * that confirm a fix are the ones the test adds, as Declarative Services would register them.
 */
public final class TestLedger implements AutoCloseable {
    private final Map<Agent, Map<String, Object>> agents = new ConcurrentHashMap<>();
    private final TestEngine engine;
    private final EnhancementLedger ledger;

    private TestLedger(DataSource dataSource, io.harmonix.store.api.SchemaMigrator migrator, SandboxExecutor executor,
            Path scratch) throws Exception {
        engine = TestEngine.durable(dataSource, migrator, System.err::println);
        Wiring wiring = Wiring.forTests(dataSource, migrator, engine::service, () -> executor, agents,
                scratch);
        engine.handler("enhancement", wiring.handler(), wiring.components(), wiring.actions());
        if (!wiring.deployWorkflow(engine.service(), System.err::println)) {
            throw new IllegalStateException("the validation workflow was not deployed");
        }
        ledger = wiring.ledger();
    }

    /**
     * @param scratch where validations make their worktrees
     */
    public static TestLedger open(DataSource dataSource, io.harmonix.store.api.SchemaMigrator migrator,
            SandboxExecutor executor, Path scratch) throws Exception {
        return new TestLedger(dataSource, migrator, executor, scratch);
    }

    public EnhancementLedger ledger() {
        return ledger;
    }

    /** Adds a running agent of {@code type} with id {@code id}: validation asks it to confirm a fix. */
    public TestLedger agent(Agent agent, String type, String id) {
        agents.put(agent, Map.of(Agent.TYPE, type, Agent.ID, id));
        return this;
    }

    /** Waits for the validation of an enhancement whose validation started. @return the enhancement then */
    public Enhancement awaitValidation(long id, Duration timeout) throws InterruptedException {
        Enhancement e = ledger.enhancement(id).orElseThrow();
        if (e.workflowInstance() == null) {
            throw new AssertionError("enhancement " + id + " has no validation: " + e);
        }
        InstanceInfo done = engine.service().await(e.workflowInstance(), timeout);
        if (!done.state().finished()) {
            throw new AssertionError("validation of " + id + " did not end within " + timeout + ": " + done);
        }
        return ledger.enhancement(id).orElseThrow();
    }

    /** @return how many workflow instances the engine knows: one per validation started */
    public long validations() {
        return engine.service().instances().stream()
                .filter(i -> i.workflow().equals(EnhancementLedger.VALIDATION_WORKFLOW)).count();
    }

    @Override
    public void close() {
        engine.close();
    }
}
