package io.harmonix.workflow.testing;

import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The durable workflow engine for the tests of other bundles, on a real database: what the runtime's workflow
 * component is, with task handlers added by the test instead of the whiteboard. The tests of other bundles use it
 * instead of the engine's class, which lies in this bundle's private package.
 */
public final class TestEngine implements AutoCloseable {
    private final WorkflowEngine engine;

    private TestEngine(WorkflowEngine engine) {
        this.engine = engine;
    }

    /** An engine keeping definitions, instances and their history in {@code dataSource} (its tables migrated). */
    public static TestEngine durable(DataSource dataSource, SchemaMigrator migrator, Consumer<String> warn)
            throws SQLException {
        return new TestEngine(WorkflowEngine.durable(dataSource, migrator, warn));
    }

    /** @return the engine as the runtime publishes it */
    public WorkflowService service() {
        return engine;
    }

    /** Routes tasks of these components and actions to {@code handler} (what the whiteboard does in OSGi). */
    public TestEngine handler(Object key, TaskHandler handler, List<String> components, List<String> actions) {
        engine.addHandler(key, handler, components, actions);
        return this;
    }

    /**
     * Resumes the instances a previous engine on the same database left unfinished (what the runtime does at
     * start, after a crash). @return their ids
     */
    public List<String> resumeInterrupted() {
        return engine.resumeInterrupted();
    }

    /** Stops the engine; instances still running stay unfinished in the database, as after a crash. */
    @Override
    public void close() {
        engine.close();
    }
}
