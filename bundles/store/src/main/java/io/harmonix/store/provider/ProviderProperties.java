package io.harmonix.store.provider;

/**
 * The properties with which the store's configuration ({@code etc/io.harmonix.store.cfg}, read by the store bundle
 * alone) creates the one instance of a provider's DataSource factory component. They become the DataSource
 * service's properties, so none of them is a secret: the password stays in its file, which the provider reads.
 */
public final class ProviderProperties {
    /** {@code component.factory} of the PostgreSQL store's DataSource: {@value}. */
    public static final String POSTGRESQL_FACTORY = "io.harmonix.store.postgresql";
    /** The JDBC URL of the database (String; never with a password in it). */
    public static final String URL = "harmonix.store.url";
    /** The user the store logs in as (String). */
    public static final String USER = "harmonix.store.user";
    /** The absolute path of the file holding the password (String); the file may be absent: no password then. */
    public static final String PASSWORD_FILE = "harmonix.store.passwordFile";
    /** The most connections open at once (Integer). */
    public static final String POOL_SIZE = "harmonix.store.poolSize";
    /** How long a caller waits for a free connection, in milliseconds (Long). */
    public static final String POOL_WAIT = "harmonix.store.poolWaitMillis";

    private ProviderProperties() {
    }
}
