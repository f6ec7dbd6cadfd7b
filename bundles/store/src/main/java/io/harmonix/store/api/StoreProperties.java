package io.harmonix.store.api;

/**
 * Service properties of the store's services. Every {@code javax.sql.DataSource} and {@link SchemaMigrator} that a
 * store publishes names its store in {@link #STORE}, so that the bundles with tables choose one by a reference
 * target: {@link #DERBY_TARGET} by default, another (PostgreSQL, say) by configuring the standard DS properties
 * {@code dataSource.target} and {@code migrator.target} of the referring component.
 */
public final class StoreProperties {
    /** The service property naming the store behind a DataSource or SchemaMigrator: {@value}. */
    public static final String STORE = "harmonix.store";

    /** {@link #STORE} of the embedded Derby store of the runtime (bundle {@code io.harmonix.store}): {@value}. */
    public static final String DERBY = "derby";

    /** The reference target that chooses the embedded Derby store: {@value}. */
    public static final String DERBY_TARGET = "(" + STORE + "=" + DERBY + ")";

    private StoreProperties() {
    }
}
