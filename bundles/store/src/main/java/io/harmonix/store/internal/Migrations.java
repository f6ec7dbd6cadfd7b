package io.harmonix.store.internal;

import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.store.provider.SqlMigrator;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link SchemaMigrator} of the Derby store: the migrations as written (Derby's SQL), published by DS while the
 * Derby DataSource is ({@code harmonix.store=derby}, and {@code harmonix.store.selected=true}, as that DataSource is
 * published only while the configuration chooses Derby). Its configuration (PID {@value #PID}) may point
 * {@code dataSource.target} (and its own {@code harmonix.store}) elsewhere.
 */
@Component(service = SchemaMigrator.class, configurationPid = Migrations.PID,
        property = {StoreProperties.STORE + "=" + StoreProperties.DERBY, StoreProperties.SELECTED + "=true"})
public final class Migrations extends SqlMigrator {
    static final String PID = "io.harmonix.store.migrator";
    static final String HISTORY = SqlMigrator.HISTORY;
    /** Derby's SQLState for a table that exists already. */
    private static final String TABLE_EXISTS = "X0Y32";

    @Activate
    public Migrations(@Reference(name = "dataSource", target = StoreProperties.DERBY_TARGET) DataSource dataSource) {
        super(dataSource, UnaryOperator.identity(), Set.of(TABLE_EXISTS));
    }
}
