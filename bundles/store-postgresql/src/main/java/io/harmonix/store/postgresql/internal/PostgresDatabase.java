package io.harmonix.store.postgresql.internal;

import io.harmonix.store.api.ForwardingDataSource;
import io.harmonix.store.provider.ConnectionPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database reached through the store's {@link ConnectionPool}. The password is read from its file for
 * each new physical connection (not kept, so a changed password applies to the next connection without a restart),
 * and never appears in an error, the log or a service property; a file that group or others may read is refused, as
 * {@code etc/pulse.json} is. No connection is opened before the first one is asked for.
 */
public final class PostgresDatabase implements AutoCloseable {
    /** SQLState of a password file that cannot be used (invalid_password class, as the server's refusal is). */
    static final String PASSWORD_REFUSED = "28P01";
    /**
     * A connection idle this long is checked with a round trip before it is leased again (HikariCP's default is
     * 500 ms): under load connections are never idle that long, so the check costs the busy paths nothing.
     */
    static final Duration VALIDATE_AFTER_IDLE = Duration.ofSeconds(1);
    /**
     * How long a read on a session waits for the server (pgjdbc {@code socketTimeout}) before the call fails: a
     * network that drops packets (rather than resetting the connection) would otherwise hang the call until TCP
     * gives up, a quarter of an hour. Sized from the cluster's default lease (30 s): no statement of Harmonix waits
     * that long for a first byte, and a hung renewal or history write is freed within about a lease. A URL
     * parameter {@code socketTimeout=SECONDS} wins (docs/architecture.md, Cluster).
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long the server keeps a session that is idle inside a transaction before it ends it, rolling back and so
     * freeing its row locks ({@code idle_in_transaction_session_timeout}): when a runtime's network drops its packets
     * in the middle of a transaction (a lease renewal, a history write, which lock lease rows), the server sees an
     * open session waiting for the next statement and would hold those locks for hours (its TCP keepalive), and the
     * claim of another runtime would wait on them. Harmonix never waits inside a transaction for anything but the
     * database. Sized from the default lease too; a URL parameter {@code options} wins.
     */
    static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(30);

    private final String url;
    private final String user;
    private final Path passwordFile;
    private final Driver driver = new Driver();
    private final ConnectionPool pool;

    /**
     * @param url {@code jdbc:postgresql://HOST:PORT/DATABASE}, without a password
     * @param user who logs in
     * @param passwordFile the file holding the password (its whole content, one trailing line break ignored); no
     *     file: log in without a password
     * @param poolSize the most connections open at once
     * @param poolWait how long a caller waits for one when all are in use
     */
    public PostgresDatabase(String url, String user, Path passwordFile, int poolSize, Duration poolWait)
            throws SQLException {
        this.url = url;
        this.user = user;
        this.passwordFile = passwordFile;
        // the driver's own DataSource answers what is not a connection of the store's user (log writer, login
        // timeout, a session of another user's, given with its password)
        PGSimpleDataSource others = new PGSimpleDataSource();
        others.setURL(url);
        DataSource physical = new ForwardingDataSource() {
            @Override
            protected DataSource delegate() {
                return others;
            }

            @Override
            public Connection getConnection() throws SQLException {
                return connect();
            }
        };
        pool = new ConnectionPool(physical, url, poolSize, poolWait);
        pool.validateAfterIdle(VALIDATE_AFTER_IDLE);
    }

    /** The pooled connections. */
    public DataSource dataSource() {
        return pool;
    }

    public ConnectionPool pool() {
        return pool;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /**
     * A new session, with the driver itself: not through {@code DriverManager}, whose lookup by class loader is not
     * what a bundle should rely on.
     */
    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        String password = password();
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "harmonix");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", "10");
        // defaults: the URL's parameters of the same names win (the driver reads them over these)
        p.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        p.setProperty("options", "-c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION.toMillis());
        Connection c = driver.connect(url, p);
        if (c == null) {
            throw new SQLException("store: not a PostgreSQL JDBC URL: " + url, "08001");
        }
        // Every session on UTC: the driver sets the session's zone from the JVM's, and a TIMESTAMP (without time
        // zone) column stores CURRENT_TIMESTAMP as wall-clock time of that zone, so runtimes in different zones (or
        // one across a daylight-saving change) would compare leases' expiries hours apart (cluster leases).
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** @return the password of the file, null without a file */
    String password() throws SQLException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(passwordFile);
        } catch (NoSuchFileException e) {
            return null;
        } catch (UnsupportedOperationException e) {
            perms = Set.of(); // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw refused(passwordFile + ": cannot read its permissions: " + e.getClass().getSimpleName(), e);
        }
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw refused(passwordFile + ": readable by other users (" + PosixFilePermissions.toString(perms)
                    + "); refused: it holds the database's password. Make it private: chmod 600 " + passwordFile,
                    null);
        }
        try {
            String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw refused(passwordFile + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static SQLException refused(String message, Exception cause) {
        return new SQLInvalidAuthorizationSpecException("store: " + message, PASSWORD_REFUSED, cause);
    }

    /** Closes the pool: its idle connections now, one in use when its lease ends; new ones are refused. */
    @Override
    public void close() {
        pool.close();
    }
}
