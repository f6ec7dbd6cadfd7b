package io.harmonix.store.internal;

import io.harmonix.config.api.ConfigCheck;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The store's configuration (PID {@value #PID}) in force: keeps one {@link DerbyDataSource} on the folder it
 * names. A changed folder replaces that instance (its DataSource service goes, the database is shut down, and the
 * new one comes); a refused configuration is logged and changes nothing.
 */
@Component(immediate = true, service = {}, configurationPid = StoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreComponent.Config.class)
public class StoreComponent {
    static final String PID = "io.harmonix.store";

    @ObjectClassDefinition(name = "Harmonix store", description = "The embedded Derby database of the runtime.")
    @interface Config {
        @AttributeDefinition(description = "Folder of the Derby database; relative paths are taken from the "
                + "runtime's data folder.")
        String directory() default "derby";

        @AttributeDefinition(description = "The most connections to the database open at once; callers beyond it "
                + "wait (poolWait).")
        int poolSize() default DerbyDatabase.POOL_SIZE;

        @AttributeDefinition(description = "How long a caller waits for a free connection when all are in use, "
                + "before it gets an error (250ms, 30s, PT1M).")
        String poolWait() default "30s";
    }

    /** The settings in force: a change of any replaces the DataSource instance. */
    record Settings(Path directory, int poolSize, Duration poolWait) {
    }

    private final ComponentFactory<DerbyDataSource> derby;
    private final Logger log;
    private final Path dataFolder;
    private final Path errorLog;
    private Settings settings;
    private ComponentInstance<DerbyDataSource> database;

    @Activate
    public StoreComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "derby", target = "(component.factory=" + DerbyDataSource.FACTORY + ")")
            ComponentFactory<DerbyDataSource> derby,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) {
        this.derby = derby;
        this.log = log;
        String data = context.getProperty("harmonix.data");
        String logDir = context.getProperty("harmonix.log.dir");
        dataFolder = Path.of(data == null ? "data" : data);
        errorLog = Path.of(logDir == null ? "log" : logDir).resolve("derby.log");
        settings = read(config, properties).orElseThrow(log::error, log::warn);
        database = open(settings);
    }

    @Modified
    synchronized void modified(Config config, Map<String, Object> properties) {
        read(config, properties).applyOrReport(this::moveTo, log::error, log::warn);
    }

    @Deactivate
    synchronized void deactivate() {
        database.dispose();
    }

    private ConfigCheck.Result<Settings> read(Config config, Map<String, Object> properties) {
        ConfigCheck check = new ConfigCheck(PID, properties);
        String folder = check.text("directory", config::directory);
        int poolSize = check.wholeNumber("poolSize", config::poolSize, 1, 1000);
        Duration poolWait = check.positiveDuration("poolWait", config::poolWait);
        Path resolved = null;
        try {
            resolved = dataFolder.resolve(folder).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            check.problem("directory", "a folder name (" + e.getReason() + ")");
        }
        Path dir = resolved;
        return check.result(() -> new Settings(dir, poolSize, poolWait));
    }

    private void moveTo(Settings next) {
        if (next.equals(settings)) {
            return;
        }
        database.dispose();
        try {
            database = open(next);
            if (!next.directory().equals(settings.directory())) {
                database.getInstance().boot(); // a folder that cannot be opened is refused now, not at first use
            }
            settings = next;
        } catch (ComponentException | SQLException e) {
            log.error("store: the database in {} cannot be opened ({}); staying on {}", next.directory(),
                    e.getMessage(), settings.directory(), e);
            database.dispose();
            database = open(settings);
        }
    }

    private ComponentInstance<DerbyDataSource> open(Settings s) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(DerbyDataSource.DIRECTORY, s.directory().toString());
        props.put(DerbyDataSource.POOL_SIZE, s.poolSize());
        props.put(DerbyDataSource.POOL_WAIT, s.poolWait().toMillis());
        props.put(DerbyDataSource.ERROR_LOG, errorLog.toAbsolutePath().toString());
        return derby.newInstance(props);
    }
}
