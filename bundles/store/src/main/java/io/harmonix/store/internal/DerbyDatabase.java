package io.harmonix.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.derby.jdbc.EmbeddedDataSource;

/** An embedded Derby database in a folder: booted when opened, shut down on close. */
public final class DerbyDatabase implements AutoCloseable {
    private static final String SHUTDOWN_OK_DATABASE = "08006";

    private final Path directory;
    private final EmbeddedDataSource dataSource = new EmbeddedDataSource();

    /**
     * @param directory the database folder (created when missing)
     * @param errorLog where Derby writes its own log ({@code derby.log})
     */
    public DerbyDatabase(Path directory, Path errorLog) throws SQLException {
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
        dataSource.setDatabaseName(this.directory.toString());
        dataSource.setCreateDatabase("create");
        try (Connection c = dataSource.getConnection()) {
            c.isValid(1); // boots (and if needed, creates or recovers) the database now, not at first use
        }
    }

    public EmbeddedDataSource dataSource() {
        return dataSource;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Shuts the database down: its files are closed and its lock released, so that it boots again (also from a
     * new class loader, after a bundle update). The engine itself is left up: shutting it down interrupts every
     * thread that ever used Derby, and a thread interrupted in the middle of a page write left the database
     * unable to boot again in the same JVM (seen when the store bundle was restarted under a running run).
     */
    @Override
    public void close() {
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
