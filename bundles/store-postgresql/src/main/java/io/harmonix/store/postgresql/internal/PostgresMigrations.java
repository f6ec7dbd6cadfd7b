package io.harmonix.store.postgresql.internal;

import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.store.provider.SqlMigrator;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link SchemaMigrator} of the PostgreSQL store: the bundles' migrations, written in Derby's SQL, each statement
 * rewritten by {@link PostgresDialect} before it runs (the checksums are of the statements as written, so they are
 * the same as on Derby). Published while the PostgreSQL DataSource is, with the same properties.
 */
@Component(service = SchemaMigrator.class, configurationPid = PostgresMigrations.PID,
        property = {StoreProperties.STORE + "=" + StoreProperties.POSTGRESQL, StoreProperties.SELECTED + "=true"})
public final class PostgresMigrations extends SqlMigrator {
    static final String PID = "io.harmonix.store.postgresql.migrator";

    @Activate
    public PostgresMigrations(@Reference(name = "dataSource", target = "(" + StoreProperties.STORE + "="
            + StoreProperties.POSTGRESQL + ")") DataSource dataSource) {
        super(dataSource, PostgresDialect::rewrite, PostgresDialect.TABLE_EXISTS);
    }
}
