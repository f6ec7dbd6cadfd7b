package io.harmonix.store.internal;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.store.provider.SqlMigrator;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
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

    private final DataSource dataSource;
    /** Every component's migrations as last asked for, in the order first asked: what a template is made of. */
    private final Map<String, List<Migration>> asked = new LinkedHashMap<>();

    @Activate
    public Migrations(@Reference(name = "dataSource", target = StoreProperties.DERBY_TARGET) DataSource dataSource) {
        super(dataSource, UnaryOperator.identity(), Set.of(TABLE_EXISTS));
        this.dataSource = dataSource;
    }

    @Override
    public List<Integer> migrate(String component, List<Migration> migrations) throws SQLException {
        synchronized (asked) {
            asked.put(component, List.copyOf(migrations));
        }
        // The store's own database, not booted yet: the migrations run at its boot, before its first connection is
        // handed out (a start whose commands never touch the database does not boot, nor on a fresh data folder
        // create, it for them). A database folder that cannot be written (read-only, full) is refused here and
        // now (deferUntilBoot's write probe), so that a component whose schema could not be migrated still fails
        // its activation with that reason (RunFaultsIT) instead of starting and failing later.
        if (dataSource instanceof DerbyDataSource derby) {
            checkNumbering(component, migrations);
            if (derby.deferUntilBoot(booting -> {
                List<Integer> applied = applyOn(booting, component, migrations);
                return applied.isEmpty() ? null : "schema of " + component + " migrated when the database booted: "
                        + "versions " + applied;
            })) {
                return List.of();
            }
        }
        return super.migrate(component, migrations);
    }

    /**
     * Writes a {@link StoreTemplate} into {@code folder}: a new database with the migrations every component of this
     * runtime has asked for so far (all of them once every bundle has started), and the bundles installed.
     *
     * @return the components whose schemas are in it, in order
     */
    public List<String> writeTemplate(Path folder, Set<String> bundles) throws IOException, SQLException {
        Map<String, List<Migration>> copy;
        synchronized (asked) {
            copy = new LinkedHashMap<>(asked);
        }
        return new StoreTemplate(folder).write(copy, bundles);
    }
}
