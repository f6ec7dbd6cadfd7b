package io.harmonix.store.internal;

import io.harmonix.store.api.ForwardingDataSource;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.store.provider.ConnectionPool;
import io.harmonix.store.provider.ProviderProperties;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The runtime's {@link DataSource} on the embedded Derby database of one folder, published by DS with
 * {@code harmonix.store=derby}, {@code harmonix.store.selected=true} (an instance exists only while the store's
 * configuration chooses Derby) and the folder in {@value #DIRECTORY}. A factory component: {@link StoreComponent}
 * creates the one instance for the folder its configuration names, and disposes of it (the service goes, then the
 * database is shut down) when the folder changes or the bundle stops. A factory, rather than a component with
 * the store's configuration, so that a refused configuration leaves this instance running on the folder in force.
 */
@Component(factory = DerbyDataSource.FACTORY, service = DataSource.class,
        property = {StoreProperties.STORE + "=" + StoreProperties.DERBY, StoreProperties.SELECTED + "=true"})
public class DerbyDataSource extends ForwardingDataSource {
    static final String FACTORY = "io.harmonix.store.derby";
    /** Instance property: the database folder, absolute. */
    static final String DIRECTORY = "harmonix.store.directory";
    /** Instance property: where Derby writes its own log. */
    static final String ERROR_LOG = "harmonix.store.errorLog";
    /** Instance property: the installation's {@link StoreTemplate} folder, absolute (absent: no template). */
    static final String TEMPLATE = "harmonix.store.template";
    /** Instance property: the most connections open at once (Integer). */
    static final String POOL_SIZE = ProviderProperties.POOL_SIZE;
    /** Instance property: how long a caller waits for a free connection, in milliseconds (Long). */
    static final String POOL_WAIT = ProviderProperties.POOL_WAIT;

    private final Logger log;
    private final DerbyDatabase database;
    private final DataSource connections;

    @Activate
    public DerbyDataSource(Map<String, Object> properties, BundleContext context,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException {
        this.log = log;
        Path directory = Path.of((String) properties.get(DIRECTORY));
        int poolSize = (Integer) properties.getOrDefault(POOL_SIZE, DerbyDatabase.POOL_SIZE);
        Duration poolWait = Duration.ofMillis((Long) properties.getOrDefault(POOL_WAIT,
                DerbyDatabase.POOL_WAIT.toMillis()));
        String template = (String) properties.get(TEMPLATE);
        database = new DerbyDatabase(directory, Path.of((String) properties.get(ERROR_LOG)), poolSize, poolWait,
                template == null ? null : seed(new StoreTemplate(Path.of(template)), context), log::info, log::warn);
        connections = database.dataSource();
        database.pool().reportTo(log::info, log::error);
        log.info("Derby database {}: booted at its first use, up to {} pooled connections", directory, poolSize);
    }

    /**
     * A fresh database folder from the installation's template when the bundles installed at the boot are those it
     * was made with (checked then, not at activation: the boot is when the folder is made).
     */
    private static DerbyDatabase.Seed seed(StoreTemplate template, BundleContext context) {
        return directory -> {
            Set<String> installed = new HashSet<>();
            for (Bundle b : context.getBundles()) {
                if (b.getState() != Bundle.UNINSTALLED && b.getSymbolicName() != null) {
                    installed.add(b.getSymbolicName() + " " + b.getVersion());
                }
            }
            String refused = template.refusal(installed);
            if (refused != null) {
                return "store: the database in " + directory + " is created and migrated, not copied from the "
                        + "template (" + refused + ")";
            }
            long started = System.nanoTime();
            template.copyTo(directory);
            return "store: the database in " + directory + " copied from the template " + template.folder()
                    + " in " + (System.nanoTime() - started) / 1_000_000 + " ms";
        };
    }

    /** See {@link DerbyDatabase#deferUntilBoot}. */
    boolean deferUntilBoot(ConnectionPool.BootStep step) throws SQLException {
        return database.deferUntilBoot(step);
    }

    /** Boots the database now: the store checks a folder it moves to before it leaves the one in force. */
    void boot() throws SQLException {
        database.boot();
    }

    @Deactivate
    void deactivate() {
        // DS has withdrawn the service and deactivated every component that required it before this runs: the
        // pool is closed first, then Derby shuts the database down (every commit is in its log by then)
        boolean booted = database.booted();
        database.close();
        log.info(booted ? "Derby database {} shut down" : "Derby database {} closed (never booted)",
                database.directory());
    }

    @Override
    protected DataSource delegate() {
        return connections;
    }
}
