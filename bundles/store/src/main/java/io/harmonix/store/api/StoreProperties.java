package io.harmonix.store.api;

/**
 * Service properties of the store's services. Every {@code javax.sql.DataSource} and {@link SchemaMigrator} that a
 * store publishes names its store in {@link #STORE}; the store that {@code etc/io.harmonix.store.cfg} chooses
 * ({@code provider = derby|postgresql}, Derby by default) is the only one published, and its services carry
 * {@link #SELECTED}{@code =true}. The bundles with tables refer to both with {@link #SELECTED_TARGET}, so that they
 * follow the chosen store without a setting of their own. ({@link #DERBY_TARGET} still chooses Derby alone, and the
 * standard DS properties {@code dataSource.target} and {@code migrator.target} of a referring component's
 * configuration still override a target.)
 */
public final class StoreProperties {
    /** The service property naming the store behind a DataSource or SchemaMigrator: {@value}. */
    public static final String STORE = "harmonix.store";

    /** {@link #STORE} of the embedded Derby store of the runtime (bundle {@code io.harmonix.store}): {@value}. */
    public static final String DERBY = "derby";

    /** {@link #STORE} of the PostgreSQL store (bundle {@code io.harmonix.store.postgresql}): {@value}. */
    public static final String POSTGRESQL = "postgresql";

    /** The reference target that chooses the embedded Derby store: {@value}. */
    public static final String DERBY_TARGET = "(" + STORE + "=" + DERBY + ")";

    /**
     * The service property, {@code true}, of the services of the store the configuration chooses: {@value}. Only
     * that store publishes its services; the property tells them from any other DataSource in the framework.
     */
    public static final String SELECTED = "harmonix.store.selected";

    /** The reference target of every bundle with tables: the chosen store, whichever it is: {@value}. */
    public static final String SELECTED_TARGET = "(" + SELECTED + "=true)";

    private StoreProperties() {
    }
}
