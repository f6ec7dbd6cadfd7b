package io.harmonix.store.internal;

import io.harmonix.store.api.SchemaMigrator;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Boots the embedded Derby database and registers it as the runtime's {@link DataSource} (with
 * {@code harmonix.store=derby}) and its {@link SchemaMigrator}. A new configuration restarts the component:
 * the services go away while the database is shut down and come back on the new one.
 */
@Component(immediate = true, service = {}, configurationPid = StoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreComponent.Config.class)
public class StoreComponent {
    static final String PID = "io.harmonix.store";

    @ObjectClassDefinition(name = "Harmonix store", description = "The embedded Derby database of the runtime.")
    @interface Config {
        @AttributeDefinition(description = "Folder of the Derby database; relative paths are taken from the "
                + "runtime's data folder. Default: derby (that is, data/derby).")
        String directory() default "derby";
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private DerbyDatabase database;
    private ServiceRegistration<?> dataSourceRegistration;
    private ServiceRegistration<?> migratorRegistration;

    @Activate
    void activate(Config config, BundleContext context) throws SQLException {
        String data = context.getProperty("harmonix.data");
        String logDir = context.getProperty("harmonix.log.dir");
        Path base = Path.of(data == null ? "data" : data);
        Path dir = base.resolve(config.directory());
        long t0 = System.nanoTime();
        database = new DerbyDatabase(dir, Path.of(logDir == null ? "log" : logDir).resolve("derby.log"));
        log.info("Derby database {} open in {} ms", dir, (System.nanoTime() - t0) / 1_000_000);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("harmonix.store", "derby");
        props.put("harmonix.store.directory", database.directory().toString());
        migratorRegistration = context.registerService(SchemaMigrator.class, new Migrations(database.dataSource()),
                props);
        dataSourceRegistration = context.registerService(DataSource.class, database.dataSource(), props);
    }

    @Deactivate
    void deactivate() {
        dataSourceRegistration.unregister();
        migratorRegistration.unregister();
        database.close();
        log.info("Derby database {} shut down", database.directory());
    }
}
