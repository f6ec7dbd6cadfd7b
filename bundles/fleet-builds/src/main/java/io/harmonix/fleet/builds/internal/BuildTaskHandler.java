package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.workflow.api.EventService;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The {@code fleet/build} task of a fleet build's workflow: one repository's build and tests ({@link RepositoryBuilder}). */
@Component(service = TaskHandler.class, configurationPid = FleetConfig.PID, property = {
    TaskHandler.COMPONENT + "=" + WorkflowText.COMPONENT, TaskHandler.ACTION + "=" + WorkflowText.ACTION})
public final class BuildTaskHandler implements TaskHandler {
    private final RepositoryBuilder builder;

    /** Optional: without an event service, broken and unhealthy repositories are only in reports and health. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventService events;

    @Activate
    public BuildTaskHandler(@Reference SandboxExecutor executor, @Reference CheckHistory history,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            FleetConfig config) throws SQLException {
        Settings settings = Settings.of(config);
        this.builder = new RepositoryBuilder(executor, history, new BuildStore(dataSource, migrator), () -> settings,
                (type, subject, data) -> {
                    EventService e = events;
                    if (e != null) {
                        e.publish(RepositoryBuilder.SOURCE, type, subject, data);
                    }
                });
    }

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        return builder.execute(context);
    }
}
