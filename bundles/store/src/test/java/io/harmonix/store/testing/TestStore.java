package io.harmonix.store.testing;

import io.harmonix.store.api.SchemaMigrator;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A store other than Derby that {@link DerbyFixture} hands out instead of Derby's when the system property
 * {@value DerbyFixture#STORE_PROPERTY} names it: found with {@link java.util.ServiceLoader} on the test class path
 * (the PostgreSQL store's test jar provides {@code postgresql}), so that the store's test jar depends on no provider.
 */
public interface TestStore {
    /** @return the name {@value DerbyFixture#STORE_PROPERTY} gives to choose this store */
    String name();

    /**
     * Opens the database of {@code folder}: a fresh one the first time, the same one (with what was written in it)
     * each time the same folder is opened again, as Derby's fixture does.
     */
    Database open(Path folder) throws SQLException;

    /**
     * The {@code -D} options with which another JVM a test starts (a runtime it kills) opens the same databases as
     * this one: the same server, not one of its own.
     */
    default java.util.List<String> jvmOptions() {
        return java.util.List.of();
    }

    /**
     * An open database.
     *
     * @param dataSource its pooled connections, as the store publishes them
     * @param migrator the store's migrator on it
     * @param close closes the pool (the database and what is in it stay for the next open)
     */
    record Database(DataSource dataSource, SchemaMigrator migrator, Runnable close) {
    }
}
