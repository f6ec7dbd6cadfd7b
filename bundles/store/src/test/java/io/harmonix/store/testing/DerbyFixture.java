package io.harmonix.store.testing;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.internal.DerbyDatabase;
import io.harmonix.store.internal.Migrations;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.ServiceLoader;
import javax.sql.DataSource;

/**
 * For the tests of the bundles that keep tables in the store: the embedded Derby database of a folder with the
 * same DataSource and {@link SchemaMigrator} the store bundle publishes, without a framework. Close it to shut the
 * database down (its files closed, its lock released); opening the same folder again finds what was written, as
 * a restarted runtime does. Shipped in the store module's test jar ({@code <type>test-jar</type>}), so that those
 * tests never construct the store's internal classes themselves.
 *
 * <p>With the system property {@value #STORE_PROPERTY} set to another store's name ({@code postgresql}: the
 * {@code -Ppostgresql} profile of the bundles with tables), it hands out that store's database instead, one fresh
 * database per folder (the same one when the folder is opened again), with that store's migrator: the same tests
 * then run against that store ({@link TestStore}).
 */
public final class DerbyFixture implements AutoCloseable {
    /** The system property that chooses the store the fixture hands out: {@value}; Derby when it is not set. */
    public static final String STORE_PROPERTY = "harmonix.test.store";

    private final DataSource dataSource;
    private final SchemaMigrator migrator;
    private final Runnable close;

    private DerbyFixture(DataSource dataSource, SchemaMigrator migrator, Runnable close) {
        this.dataSource = dataSource;
        this.migrator = migrator;
        this.close = close;
    }

    /**
     * Opens (creating when missing) the database in {@code folder}/derby, Derby's own log in {@code folder}/derby.log;
     * or the chosen store's database of that folder (see the class).
     */
    public static DerbyFixture open(Path folder) throws SQLException {
        String store = store();
        if (!"derby".equals(store)) {
            TestStore.Database db = testStore(store).open(folder);
            return new DerbyFixture(db.dataSource(), db.migrator(), db.close());
        }
        DerbyDatabase database = new DerbyDatabase(folder.resolve("derby"), folder.resolve("derby.log"));
        return new DerbyFixture(database.dataSource(), new Migrations(database.dataSource()), database::close);
    }

    private static TestStore testStore(String store) {
        return ServiceLoader.load(TestStore.class).stream().map(ServiceLoader.Provider::get)
                .filter(s -> s.name().equals(store)).findFirst()
                .orElseThrow(() -> new IllegalStateException(STORE_PROPERTY + " = " + store + ": no such test "
                        + "store on the test class path (the PostgreSQL one is in io.harmonix.store.postgresql's "
                        + "test jar, which the -Ppostgresql profile adds)"));
    }

    /**
     * The JVM options for another JVM a test starts that opens fixtures on the same folders (a runtime the test
     * kills): none for Derby (the folder is the database); for another store its name and what reaches this JVM's
     * server, so that both see the same databases.
     */
    public static List<String> childJvmOptions() {
        String store = store();
        if ("derby".equals(store)) {
            return List.of();
        }
        List<String> options = new java.util.ArrayList<>();
        options.add("-D" + STORE_PROPERTY + "=" + store);
        options.addAll(testStore(store).jvmOptions());
        return options;
    }

    /** @return the store the fixture hands out: {@code derby}, or the one {@value #STORE_PROPERTY} names */
    public static String store() {
        String store = System.getProperty(STORE_PROPERTY, "");
        return store.isBlank() ? "derby" : store.trim();
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
        return dataSource;
    }

    public SchemaMigrator migrator() {
        return migrator;
    }

    @Override
    public void close() {
        close.run();
    }
}
