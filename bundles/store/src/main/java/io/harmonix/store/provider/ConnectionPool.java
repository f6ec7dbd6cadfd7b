package io.harmonix.store.provider;

import io.harmonix.store.api.ForwardingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A small pool of connections to one database, with each connection's prepared statements kept for its next lease
 * ({@link PooledConnection}): the pool of every store of the runtime (embedded Derby, PostgreSQL). Opening an
 * embedded Derby connection sets up a session (context managers, a language connection, a transaction) and
 * preparing a statement builds its activation: the propagator spent most of its delivery time on those, not on the
 * commit (docs/performance.md, "Propagation"); a PostgreSQL connection costs a login, and a statement prepared
 * again and again is prepared on the server once (the driver's own cache, per connection).
 *
 * <p>Closing a connection taken from the pool gives it back: what the caller left open is closed, an unfinished
 * transaction rolled back, auto-commit set again. A connection whose session settings were changed (isolation,
 * read-only, holdability, schema) is closed for good instead, so the next caller never inherits them. A connection
 * that the database closed meanwhile (Derby's database shut down and booted again, a severe error; a PostgreSQL
 * connection whose server went away, which the driver marks closed at its first failed use) is found closed when it is
 * taken and replaced, so callers recover without a restart. When every connection is in use, a caller waits up to
 * the configured time and then gets an error that says so.
 *
 * <p>No connection is opened before the first caller asks for one: Derby boots the database then, not when the
 * store starts (the runtime's start does not pay for a database that its commands do not use), and the work that
 * waits for the boot ({@link #deferUntilBoot}: the components' schema migrations) runs before that first connection
 * is handed out.
 */
public final class ConnectionPool extends ForwardingDataSource implements AutoCloseable {
    /** SQLState of a connection that cannot be had: the pool is closed. */
    public static final String CLOSED_STATE = "08003";
    /** SQLState of a connection that cannot be had in time: every one is in use. */
    public static final String EXHAUSTED_STATE = "08001";

    private final DataSource physical;
    private final String name;
    private final int size;
    private final Duration wait;
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    /** Run once, when the first connection is asked for, before it is handed out; see {@link #deferUntilBoot}. */
    private final List<BootStep> onBoot = new ArrayList<>();
    private Consumer<String> info = System.err::println;
    private Consumer<String> error = System.err::println;
    private volatile boolean booted;
    /** What the boot steps that failed said, in order: store:info shows them. */
    private final List<String> bootFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** See {@link #validateAfterIdle}; negative: never. */
    private volatile long validateAfterIdle = -1;
    private int open;
    private boolean closed;
    private boolean used;

    /** Work on the database that waits for its boot (a component's schema migrations). */
    public interface BootStep {
        /**
         * @param connections connections outside the pool (the pool is not ready while steps run)
         * @return what to report (null: nothing)
         */
        String run(DataSource connections) throws SQLException;
    }

    /**
     * @param physical where new connections come from
     * @param name what the errors call the database (its folder)
     * @param size the most connections open at once
     * @param wait how long a caller waits for a free connection when all {@code size} are in use
     */
    public ConnectionPool(DataSource physical, String name, int size, Duration wait) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size " + size + ": at least 1");
        }
        this.physical = physical;
        this.name = name;
        this.size = size;
        this.wait = wait;
    }

    @Override
    protected DataSource delegate() {
        return physical;
    }

    /**
     * Defers {@code step} to the database's boot, when it has not booted yet: it then runs before the first
     * connection is handed out. A step that fails at boot is reported (logged, and kept for store:info: {@link
     * #bootFailures}), and the first {@link #getConnection} fails with its error, so that the first user of the
     * database sees it rather than a log line only; the connections after it are handed out: one component's failed
     * migration does not take the database from the others (that component's next migration, at its next start,
     * runs at once and fails where its caller sees it).
     *
     * @return true when deferred; false when the database has booted already (the caller runs it now)
     */
    public boolean deferUntilBoot(BootStep step) {
        synchronized (onBoot) {
            if (!booted) {
                onBoot.add(step);
            }
            return !booted;
        }
    }

    /**
     * Has a connection that was idle for {@code idle} or longer checked ({@link Connection#isValid}, a round trip to a
     * server) before it is leased again, and replaced when it does not answer: a server's connections can end while
     * they are idle (a server restart, a cut network, an administrator), and the caller would otherwise get the
     * error. Not set (never checked) for embedded Derby, whose connections end only with its database.
     */
    public void validateAfterIdle(java.time.Duration idle) {
        validateAfterIdle = idle.toNanos();
    }

    /** Where what boot steps say, and their failures, go (the store's log in the runtime). */
    public void reportTo(Consumer<String> info, Consumer<String> error) {
        this.info = info;
        this.error = error;
    }

    private void boot() throws SQLException {
        synchronized (onBoot) {
            if (booted) {
                return;
            }
            synchronized (this) {
                if (closed) {
                    throw closedError();
                }
                used = true;
            }
            long started = System.nanoTime();
            try (Connection c = physical.getConnection()) {
                c.isValid(1); // boots (and if needed creates or recovers) the database
            }
            // who asked first: what made this start pay for the database (docs/performance.md, "Start-up")
            info.accept("store: the database in " + name + " booted in " + (System.nanoTime() - started) / 1_000_000
                    + " ms, first used by " + firstCaller());
            SQLException failed = null;
            for (BootStep step : onBoot) {
                try {
                    String said = step.run(physical);
                    if (said != null) {
                        info.accept(said);
                    }
                } catch (SQLException | RuntimeException e) {
                    String said = "store: at the boot of the database in " + name + ": " + e.getMessage();
                    error.accept(said);
                    bootFailures.add(said);
                    if (failed == null) {
                        failed = new SQLException(said, e instanceof SQLException q ? q.getSQLState() : null, e);
                    }
                }
            }
            onBoot.clear();
            booted = true;
            if (failed != null) {
                throw failed; // to the first user of the database; the next ones get their connections
            }
        }
    }

    /** @return what the boot steps that failed said (a component's deferred migration), in order */
    public List<String> bootFailures() {
        return List.copyOf(bootFailures);
    }

    /** The pool itself unwraps to {@link ConnectionPool} (store:info reads its {@link #bootFailures}). */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : super.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || super.isWrapperFor(iface);
    }

    /** The method that asked for the first connection: the first caller that is no DataSource (nor the JDK's). */
    private static String firstCaller() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> !DataSource.class.isAssignableFrom(f.getDeclaringClass())
                        && !f.getClassName().startsWith("io.harmonix.store.")
                        && !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk."))
                .findFirst().map(f -> f.getClassName() + "." + f.getMethodName()).orElse("?"));
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        if (!booted) {
            boot();
        }
        return physical.getConnection(user, password); // not pooled: a session of that user's own
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!booted) {
            boot();
        }
        while (true) {
            PooledConnection taken = take();
            if (taken == null) {
                return create().lease();
            }
            if (taken.usable(validateAfterIdle)) {
                return taken.lease();
            }
            // Derby closed it (the database was shut down and booted again, or a severe error), or the database
            // went read-only under it: a new connection boots it again (writable when its folder is)
            discard(taken);
        }
    }

    /** @return an idle connection, or null when the caller may open a new one (counted already) */
    private synchronized PooledConnection take() throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (closed) {
                throw closedError();
            }
            PooledConnection p = idle.pollFirst(); // the most recently used: its pages and plans are warm
            if (p != null) {
                return p;
            }
            if (open < size) {
                open++;
                used = true;
                return null;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SQLTransientConnectionException("store: no connection to the database in " + name
                        + " became free within " + wait.toMillis() + " ms: all " + size + " of the pool are in "
                        + "use (raise poolSize in etc/io.harmonix.store.cfg, or a caller keeps connections open)",
                        EXHAUSTED_STATE);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("store: interrupted while waiting for a connection to " + name,
                        EXHAUSTED_STATE, e);
            }
        }
    }

    private SQLException closedError() {
        return new SQLException("store: the database in " + name + " is closed (the store stopped or moved to "
                + "another folder)", CLOSED_STATE);
    }

    private PooledConnection create() throws SQLException {
        try {
            return new PooledConnection(physical.getConnection(), this);
        } catch (SQLException | RuntimeException e) {
            synchronized (this) {
                open--;
                notifyAll();
            }
            throw e;
        }
    }

    /** A lease ended: the connection goes back to the idle ones, or is closed when it cannot be reused. */
    void release(PooledConnection p, boolean reusable) {
        synchronized (this) {
            if (reusable && !closed) {
                p.idle();
                idle.addFirst(p);
                notifyAll();
                return;
            }
        }
        discard(p);
    }

    private void discard(PooledConnection p) {
        p.closePhysical();
        synchronized (this) {
            open--;
            notifyAll();
        }
    }

    /** Connections open now (idle and in use). */
    public synchronized int open() {
        return open;
    }

    /** Whether the database has booted through this pool (its boot steps have run). */
    public boolean booted() {
        return booted;
    }

    /** Whether a connection was ever asked for: whether Derby (tried to) boot the database through this pool. */
    public synchronized boolean used() {
        return used;
    }

    /**
     * Closes the idle connections and refuses new leases; a connection in use is closed when its lease ends (or
     * by Derby's shutdown, which follows this).
     */
    @Override
    public void close() {
        List<PooledConnection> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
            notifyAll();
        }
        all.forEach(this::discard);
    }
}
