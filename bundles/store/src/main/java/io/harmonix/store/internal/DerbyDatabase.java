package io.harmonix.store.internal;

import io.harmonix.store.api.ForwardingDataSource;
import io.harmonix.store.provider.ConnectionPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * An embedded Derby database in a folder, reached through a {@link ConnectionPool}: booted by the first connection
 * asked for (not before: a runtime whose commands never touch it does not pay for its boot), shut down on close,
 * and booted again writable when a failed write left it read-only (see {@link #writable}).
 */
public final class DerbyDatabase implements AutoCloseable {
    private static final String SHUTDOWN_OK_DATABASE = "08006";

    private final Path directory;
    private final EmbeddedDataSource embedded = new EmbeddedDataSource();
    /** Default of the store's {@code poolSize}: the runner's 8 threads, the propagator, workflows and commands. */
    public static final int POOL_SIZE = 16;
    /** Default of the store's {@code poolWait}. */
    public static final Duration POOL_WAIT = Duration.ofSeconds(30);

    private final ConnectionPool pool;
    private final DataSource physical = new ForwardingDataSource() {
        @Override
        protected DataSource delegate() {
            return embedded;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return writable(bootable(embedded::getConnection), embedded::getConnection);
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            Opener opener = () -> embedded.getConnection(user, password);
            return writable(bootable(opener), opener);
        }
    };

    /**
     * What gives a database folder that does not exist yet its first content, before Derby's first boot would
     * create it empty: the installation's {@link StoreTemplate}.
     */
    @FunctionalInterface
    public interface Seed {
        /**
         * @param directory the database folder, which does not exist
         * @return what was done, for the log (null: nothing, Derby creates the database)
         */
        String seed(Path directory) throws IOException;
    }

    private final Seed seed;
    private boolean seeded;
    /** Whether the folder is a copy of the template not booted yet: a copy Derby cannot boot is made anew. */
    private boolean copyUnproven;

    /**
     * @param directory the database folder (created when missing)
     * @param errorLog where Derby writes its own log ({@code derby.log})
     */
    public DerbyDatabase(Path directory, Path errorLog) throws SQLException {
        this(directory, errorLog, POOL_SIZE, POOL_WAIT);
    }

    /**
     * @param poolSize the most connections open at once
     * @param poolWait how long a caller waits for one when all are in use
     */
    public DerbyDatabase(Path directory, Path errorLog, int poolSize, Duration poolWait) throws SQLException {
        this(directory, errorLog, poolSize, poolWait, null, message -> { });
    }

    /**
     * @param seed gives a database folder that does not exist its first content at the first boot (null: none)
     * @param said where what the seed did goes (the store's log)
     */
    public DerbyDatabase(Path directory, Path errorLog, int poolSize, Duration poolWait, Seed seed,
            java.util.function.Consumer<String> said) throws SQLException {
        this(directory, errorLog, poolSize, poolWait, seed, said, said);
    }

    /**
     * @param warned where a seed that failed (a damaged template) is said: the database is then created and
     *     migrated as without a template
     */
    public DerbyDatabase(Path directory, Path errorLog, int poolSize, Duration poolWait, Seed seed,
            java.util.function.Consumer<String> said, java.util.function.Consumer<String> warned)
            throws SQLException {
        this.seed = seed;
        this.said = said;
        this.warned = warned;
        this.directory = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory.getParent());
            Files.createDirectories(errorLog.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + this.directory.getParent() + ": " + e.getMessage(), e);
        }
        // Derby reads these once, when its engine boots: without them derby.log lands in the working directory.
        System.setProperty("derby.stream.error.file", errorLog.toAbsolutePath().toString());
        System.setProperty("derby.system.home", this.directory.getParent().toString());
        embedded.setDatabaseName(this.directory.toString());
        embedded.setCreateDatabase("create");
        pool = new ConnectionPool(physical, this.directory.toString(), poolSize, poolWait);
    }

    /**
     * The database's pooled connections, each on a writable database whenever its folder can be written; the
     * first one boots (and if needed creates or recovers) the database.
     */
    public DataSource dataSource() {
        return pool;
    }

    ConnectionPool pool() {
        return pool;
    }

    /**
     * Defers {@code step} (a component's schema migrations) to the database's boot, as
     * {@link ConnectionPool#deferUntilBoot} does, once its folder is found writable now: a database that cannot be
     * written (a read-only folder, a full disk) refuses the step at once, naming the folder, so that the component
     * asking fails its activation with that reason as it would have failed to migrate, without booting Derby for it.
     *
     * @return true when deferred; false when the database has booted already (the caller runs the step now)
     * @throws SQLException when the folder cannot be written
     */
    public boolean deferUntilBoot(ConnectionPool.BootStep step) throws SQLException {
        if (pool.booted()) {
            return false;
        }
        // the database folder itself once Derby has made it; before that, the folder it will be made in
        Path folder = Files.isDirectory(directory) ? directory : directory.getParent();
        String refused = writeProbe(folder);
        if (refused != null) {
            throw new SQLException("the database folder " + directory + " cannot be written (" + refused
                    + "): a read-only or full folder", "25502");
        }
        return pool.deferUntilBoot(step);
    }

    /** Boots the database now if it is not yet: to find out at once whether it can be opened. */
    public void boot() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.isValid(1);
        }
    }

    /** Whether the database was booted through this object: whether {@link #close} has anything to shut down. */
    public boolean booted() {
        return pool.used();
    }

    private final java.util.function.Consumer<String> said;
    private final java.util.function.Consumer<String> warned;

    /**
     * Seeds the database folder once, before the first connection, when it does not exist. A seed that fails (a
     * damaged template: see {@link StoreTemplate#copyTo}) leaves no folder behind: Derby then creates the database as
     * without one, the components migrate it at its boot, and the failure is warned of.
     */
    private synchronized void seedOnce() {
        if (seeded) {
            return;
        }
        seeded = true;
        if (seed == null || Files.exists(directory)) {
            return;
        }
        try {
            String done = seed.seed(directory);
            if (done != null) {
                said.accept(done);
            }
            copyUnproven = Files.exists(directory);
        } catch (IOException | RuntimeException e) {
            warned.accept("store: the database in " + directory + " could not be made from the template ("
                    + e.getMessage() + "): Derby creates it and the components migrate it");
        }
    }

    /**
     * The first connection, after the seed: a copy of the template that Derby cannot boot (a damaged file the
     * checksums could not catch: a template written before them, a disk that failed under the copy) is deleted and
     * the database created as without a template, its components' migrations then running at this boot as usual.
     */
    private Connection bootable(Opener opener) throws SQLException {
        seedOnce();
        synchronized (this) {
            if (!copyUnproven) {
                return opener.open();
            }
            copyUnproven = false;
            try {
                return opener.open();
            } catch (SQLException e) {
                warned.accept("store: the database in " + directory + " copied from the template could not be booted ("
                        + e.getMessage() + "): deleted; Derby creates it and the components migrate it");
                try {
                    StoreTemplate.delete(directory);
                } catch (IOException gone) {
                    e.addSuppressed(gone);
                    throw e;
                }
                return opener.open();
            }
        }
    }

    private interface Opener {
        Connection open() throws SQLException;
    }

    /**
     * Derby shuts the database down when it cannot write a page or its log (on a full disk: XSDG1 "Page ... could
     * not be written to disk", a severe error), and the next connection boots it again. When that boot cannot
     * write its lock file (the disk still full), Derby boots the database read-only, without a word, and it stays
     * read-only for as long as it is up, even once space is back: every write fails with 25502 until it is booted
     * again (a restart). So a connection that finds the database read-only while its folder can be written again
     * shuts it down cleanly and boots it anew, as a restart would: the boot's recovery replays Derby's log, so
     * nothing committed is lost. Shutting down cuts the other connections open on it (read-only ones, which could
     * not write anyway). A database whose folder cannot be written is left read-only.
     */
    private Connection writable(Connection c, Opener opener) throws SQLException {
        if (!c.isReadOnly()) {
            return c;
        }
        synchronized (this) {
            if (writeProbe(directory) != null) {
                return c;
            }
            c.close();
            Connection again = opener.open();
            if (!again.isReadOnly()) {
                return again; // another thread booted it again meanwhile
            }
            again.close();
            shutdown();
            System.err.println("harmonix store: the database in " + directory + " was read-only (Derby booted it "
                    + "so after failing to write); its folder is writable again: booted it anew");
            return opener.open();
        }
    }

    /**
     * Whether a few KB can be written in {@code folder} now (not only its permissions: its space).
     *
     * @return null when they can; else what the file system said
     */
    private static String writeProbe(Path folder) {
        Path probe = null;
        try {
            probe = Files.createTempFile(folder, "write-probe", ".tmp");
            Files.write(probe, new byte[8192]);
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a probe left behind is harmless to Derby; the next probe has its own name
                }
            }
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Closes the pool (its idle connections; new ones are refused), then shuts the database down if it was booted:
     * its files are closed and its lock released, so that it boots again (also from a new class loader, after a
     * bundle update). The engine itself is left up: shutting it down interrupts every
     * thread that ever used Derby, and a thread interrupted in the middle of a page write left the database
     * unable to boot again in the same JVM (seen when the store bundle was restarted under a running run).
     */
    @Override
    public void close() {
        pool.close();
        if (pool.used()) {
            shutdown();
        }
    }

    /** Shuts the database down, leaving the pool open: its next connection boots it again (tests of recovery). */
    void shutdown() {
        EmbeddedDataSource shutdown = new EmbeddedDataSource();
        shutdown.setDatabaseName(directory.toString());
        shutdown.setShutdownDatabase("shutdown");
        expectShutdown(shutdown, SHUTDOWN_OK_DATABASE);
    }

    private static void expectShutdown(EmbeddedDataSource ds, String okState) {
        try (Connection c = ds.getConnection()) {
            c.isValid(1);
        } catch (SQLException e) {
            if (!okState.equals(e.getSQLState())) {
                System.err.println("harmonix store: Derby shutdown: " + e.getMessage());
            }
        }
    }
}
