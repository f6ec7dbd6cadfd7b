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
        DerbyDatabase database = new DerbyDatabase(folder.resolve("derby"), folder.resolve("derby.log"),
                DerbyDatabase.POOL_SIZE, DerbyDatabase.POOL_WAIT, DerbyFixture::seed, said -> { });
        return new DerbyFixture(database.dataSource(), new Migrations(database.dataSource()), database::close);
    }

    /** An empty database made once in this JVM (and shut down), copied into each new folder a test opens. */
    private static Path empty;

    /**
     * Gives a new database folder a copy of an empty database instead of having Derby create one: creating its
     * catalogues costs Derby about half a second of CPU, a copy a few milliseconds, and the suite opens hundreds of
     * fresh databases. A copy that fails (a read-only or full folder under test) leaves nothing behind and Derby
     * then creates the database as without it, failing as the test expects (see {@link DerbyDatabase.Seed}).
     */
    private static String seed(Path directory) throws java.io.IOException {
        Path source = empty();
        Path partial = directory.resolveSibling(directory.getFileName() + ".copying");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(source)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = partial.resolve(source.relativize(from).toString());
                if (java.nio.file.Files.isDirectory(from)) {
                    java.nio.file.Files.createDirectories(to);
                } else {
                    java.nio.file.Files.copy(from, to);
                }
            }
            java.nio.file.Files.move(partial, directory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
        return null;
    }

    private static synchronized Path empty() throws java.io.IOException {
        if (empty == null) {
            Path dir = java.nio.file.Files.createTempDirectory("harmonix-empty-derby");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            try {
                DerbyDatabase made = new DerbyDatabase(dir.resolve("derby"), dir.resolve("derby.log"));
                try (java.sql.Connection c = made.dataSource().getConnection()) {
                    c.isValid(1); // booted: created
                } finally {
                    made.close(); // shut down: its files are consistent and closed, fit to copy
                }
            } catch (SQLException e) {
                throw new java.io.IOException("the empty database for the fixtures could not be made: " + e, e);
            }
            empty = dir.resolve("derby");
        }
        return empty;
    }

    private static void deleteTree(Path root) {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // a temporary folder: what is left goes with the machine's temporary files
        }
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
