package io.harmonix.store.internal;

import io.harmonix.config.api.ConfigCheck;
import io.harmonix.store.provider.ProviderProperties;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import javax.sql.DataSource;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The store's configuration (PID {@value #PID}, {@code etc/io.harmonix.store.cfg}) in force, the one place that
 * chooses the runtime's store: it keeps one instance of the chosen provider's DataSource factory component, Derby's
 * {@link DerbyDataSource} on its folder or the PostgreSQL bundle's on its server, and no instance of the other, so
 * that only the chosen store's services are published ({@code harmonix.store.selected=true}). A change replaces that
 * instance (its DataSource service goes, so what requires it is deactivated, then the new one comes); a refused
 * configuration is logged and changes nothing. When PostgreSQL is chosen and its bundle is not there (yet), no store
 * is published until it comes.
 */
@Component(immediate = true, service = {}, configurationPid = StoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreComponent.Config.class)
public class StoreComponent {
    static final String PID = "io.harmonix.store";

    @ObjectClassDefinition(name = "Harmonix store", description = "The database of the runtime: embedded Derby "
            + "(default) or PostgreSQL.")
    @interface Config {
        @AttributeDefinition(description = "Which store: derby (embedded, in the data folder) or postgresql (a "
                + "server; needs the bundle io.harmonix.store.postgresql, feature harmonix-store-postgresql).")
        String provider() default "derby";

        @AttributeDefinition(description = "Folder of the Derby database; relative paths are taken from the "
                + "runtime's data folder.")
        String directory() default "derby";

        @AttributeDefinition(description = "PostgreSQL: the JDBC URL, jdbc:postgresql://HOST:PORT/DATABASE (never "
                + "with a password in it).")
        String url() default "";

        @AttributeDefinition(description = "PostgreSQL: the user the runtime logs in as.")
        String user() default "";

        @AttributeDefinition(description = "PostgreSQL: the file holding the user's password (its whole content, "
                + "one trailing line break ignored), refused when others may read it; relative paths are taken "
                + "from the runtime's etc folder. No file: no password.")
        String passwordFile() default "store.password";

        @AttributeDefinition(description = "The most connections to the database open at once; callers beyond it "
                + "wait (poolWait).")
        int poolSize() default DerbyDatabase.POOL_SIZE;

        @AttributeDefinition(description = "How long a caller waits for a free connection when all are in use, "
                + "before it gets an error (250ms, 30s, PT1M).")
        String poolWait() default "30s";
    }

    private final ComponentFactory<DerbyDataSource> derby;
    private final BundleContext context;
    private final Logger log;
    private final Path dataFolder;
    private final Path etcFolder;
    private final Path errorLog;
    /** The installation's template of a Derby database: {@code HOME/lib/store-template} (see StoreTemplate). */
    private final Path template;
    private ComponentFactory<DataSource> postgresql;
    private StoreSettings settings;
    /** The chosen provider's DataSource instance; null while PostgreSQL is chosen and its bundle is missing. */
    private ComponentInstance<? extends DataSource> database;

    @Activate
    public StoreComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "derby", target = "(component.factory=" + DerbyDataSource.FACTORY + ")")
            ComponentFactory<DerbyDataSource> derby,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) {
        this.derby = derby;
        this.log = log;
        this.context = context;
        String data = context.getProperty("harmonix.data");
        String home = context.getProperty("harmonix.home");
        String logDir = context.getProperty("harmonix.log.dir");
        dataFolder = Path.of(data == null ? "data" : data);
        etcFolder = Path.of(home == null ? "." : home).resolve("etc");
        errorLog = Path.of(logDir == null ? "log" : logDir).resolve("derby.log");
        template = home == null ? null : Path.of(home).resolve("lib").resolve(StoreTemplate.FOLDER);
        synchronized (this) {
            settings = read(config, properties).orElseThrow(log::error, log::warn);
        }
    }

    /**
     * Opens the chosen store once the references are bound: DS binds the PostgreSQL factory (a dynamic reference)
     * after the constructor, so opening there found it absent every time and warned that its bundle was not active,
     * on every start with provider = postgresql; the bind itself opened it a moment later.
     */
    @Activate
    synchronized void open() {
        if (database == null) {
            database = open(settings);
        }
    }

    /** The PostgreSQL bundle's DataSource factory: there while that bundle is active. */
    @Reference(name = "postgresql", target = "(component.factory=" + ProviderProperties.POSTGRESQL_FACTORY + ")",
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindPostgresql(ComponentFactory<DataSource> factory) {
        postgresql = factory;
        if (settings != null && !settings.derby() && database == null) {
            database = open(settings);
        }
    }

    synchronized void unbindPostgresql(ComponentFactory<DataSource> factory) {
        if (postgresql != factory) {
            return;
        }
        postgresql = null;
        if (settings != null && !settings.derby() && database != null) {
            database.dispose(); // gone with its bundle already; disposing again is nothing
            database = null;
        }
    }

    @Modified
    synchronized void modified(Config config, Map<String, Object> properties) {
        read(config, properties).applyOrReport(this::moveTo, log::error, log::warn);
    }

    @Deactivate
    synchronized void deactivate() {
        if (database != null) {
            database.dispose();
        }
    }

    private ConfigCheck.Result<StoreSettings> read(Config config, Map<String, Object> properties) {
        return StoreSettings.read(config, properties, dataFolder, etcFolder);
    }

    private void moveTo(StoreSettings next) {
        if (next.equals(settings)) {
            return;
        }
        if (database != null) {
            database.dispose();
        }
        try {
            database = open(next);
            if (database != null && !next.where().equals(settings.where())) {
                // a store that cannot be opened (a folder that cannot be made, a server that cannot be reached) is
                // refused now, not at its first use, and the one in force stays
                try (Connection c = database.getInstance().getConnection()) {
                    c.isValid(5);
                }
            }
            settings = next;
        } catch (ComponentException | SQLException e) {
            log.error("store: the {} store at {} cannot be opened ({}); staying on the {} store at {}",
                    next.provider(), next.where(), e.getMessage(), settings.provider(), settings.where(), e);
            if (database != null) {
                database.dispose();
            }
            database = open(settings);
        }
    }

    /** @return true when the PostgreSQL store's bundle is installed (its feature booted), started or not */
    private boolean postgresqlInstalled() {
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if ("io.harmonix.store.postgresql".equals(b.getSymbolicName())
                    && b.getState() != org.osgi.framework.Bundle.UNINSTALLED) {
                return true;
            }
        }
        return false;
    }

    private ComponentInstance<? extends DataSource> open(StoreSettings s) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ProviderProperties.POOL_SIZE, s.poolSize());
        props.put(ProviderProperties.POOL_WAIT, s.poolWait().toMillis());
        if (s.derby()) {
            props.put(DerbyDataSource.DIRECTORY, s.directory().toString());
            props.put(DerbyDataSource.ERROR_LOG, errorLog.toAbsolutePath().toString());
            if (template != null) {
                props.put(DerbyDataSource.TEMPLATE, template.toAbsolutePath().toString());
            }
            return derby.newInstance(props);
        }
        if (postgresql == null) {
            if (postgresqlInstalled()) {
                // the feature is booted, its bundle starts after this one (the same start level): no warning, which
                // every start on PostgreSQL logged, only to open the store a few milliseconds later
                log.info("store: provider = postgresql: waiting for the bundle io.harmonix.store.postgresql to start");
            } else {
                log.warn("store: provider = postgresql, and the bundle io.harmonix.store.postgresql is not "
                        + "installed: no store until it is (boot the feature harmonix-store-postgresql, see "
                        + "etc/harmonix.properties)");
            }
            return null;
        }
        props.put(ProviderProperties.URL, s.url());
        props.put(ProviderProperties.USER, s.user());
        props.put(ProviderProperties.PASSWORD_FILE, s.passwordFile().toString());
        log.info("store: PostgreSQL at {}", s.where());
        return postgresql.newInstance(props);
    }
}
