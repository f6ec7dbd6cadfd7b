package io.harmonix.store.testing;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.internal.DerbyDatabase;
import io.harmonix.store.internal.Migrations;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * For the tests of the bundles that keep tables in the store: the embedded Derby database of a folder with the
 * same DataSource and {@link SchemaMigrator} the store bundle publishes, without a framework. Close it to shut the
 * database down (its files closed, its lock released); opening the same folder again finds what was written, as
 * a restarted runtime does. Shipped in the store module's test jar ({@code <type>test-jar</type>}), so that those
 * tests never construct the store's internal classes themselves.
 */
public final class DerbyFixture implements AutoCloseable {
    private final DerbyDatabase database;
    private final SchemaMigrator migrator;

    private DerbyFixture(DerbyDatabase database) {
        this.database = database;
        this.migrator = new Migrations(database.dataSource());
    }

    /** Opens (creating when missing) the database in {@code folder}/derby, Derby's own log in {@code folder}/derby.log. */
    public static DerbyFixture open(Path folder) throws SQLException {
        return new DerbyFixture(new DerbyDatabase(folder.resolve("derby"), folder.resolve("derby.log")));
    }

    /** Opens the database as {@link #open} does, then applies {@code component}'s migrations. */
    public static DerbyFixture open(Path folder, String component, List<Migration> migrations) throws SQLException {
        DerbyFixture fixture = open(folder);
        try {
            fixture.migrator.migrate(component, migrations);
        } catch (SQLException | RuntimeException e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    public SchemaMigrator migrator() {
        return migrator;
    }

    @Override
    public void close() {
        database.close();
    }
}
