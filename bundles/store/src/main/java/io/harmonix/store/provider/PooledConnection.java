package io.harmonix.store.provider;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One physical connection of a {@link ConnectionPool} and the statements prepared on it. Each lease is a new
 * {@link Connection} (a proxy) in front of it, closed by its caller as any connection is; the statements that
 * {@code prepareStatement(sql)} gives are kept, by their SQL, for the next lease of the same connection (the
 * hot paths prepare the same few statements again and again), each statement proxy cleared of its parameters and
 * result sets when its caller closes it. Everything else a caller opens (plain statements, statements with keys
 * asked for) is closed at the end of the lease if the caller did not.
 */
final class PooledConnection {
    /** Statements kept per connection: the hot paths use a handful; SQL built per call falls out of the cache. */
    static final int STATEMENTS = 64;
    /** Connection calls that change the session for good: such a connection is not given to anyone else. */
    private static final Set<String> SESSION_CHANGES = Set.of("setTransactionIsolation", "setReadOnly",
            "setHoldability", "setSchema", "setCatalog", "setTypeMap", "setClientInfo", "setNetworkTimeout",
            "abort");

    private final Connection physical;
    private final ConnectionPool pool;
    private final Set<PreparedStatement> inUse = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= STATEMENTS) {
                return false;
            }
            if (!inUse.contains(eldest.getValue())) {
                closeQuietly(eldest.getValue());
            } // one in use is closed by its lease's end (no longer found in the cache)
            return true;
        }
    };

    PooledConnection(Connection physical, ConnectionPool pool) {
        this.physical = physical;
        this.pool = pool;
    }

    /** When the connection went back to the idle ones ({@link System#nanoTime}). */
    private volatile long idleSince = System.nanoTime();

    /**
     * Whether the connection can be leased again: the database has not closed it, it is writable, and, when it has
     * been idle for {@code validateAfterIdleNanos} or longer (never when negative), it still answers
     * ({@link Connection#isValid}: a server that went away or ended the session while it was idle).
     */
    boolean usable(long validateAfterIdleNanos) {
        try {
            if (physical.isClosed() || physical.isReadOnly()) {
                return false;
            }
            return validateAfterIdleNanos < 0 || System.nanoTime() - idleSince < validateAfterIdleNanos
                    || physical.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The connection goes back to the idle ones now. */
    void idle() {
        idleSince = System.nanoTime();
    }

    Connection lease() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Lease());
    }

    void closePhysical() {
        statements.values().forEach(PooledConnection::closeQuietly);
        statements.clear();
        try {
            if (!physical.isClosed()) {
                if (!physical.getAutoCommit()) {
                    physical.rollback(); // Derby refuses to close a connection inside a transaction
                }
                physical.close();
            }
        } catch (SQLException e) {
            // Derby closed it already (database shut down), or it is broken: nothing left to release
        }
    }

    private static void closeQuietly(Statement s) {
        try {
            s.close();
        } catch (SQLException e) {
            // its connection is gone: so is the statement
        }
    }

    private static Object call(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static SQLException closedError(String what) {
        return new SQLException(what + " is closed", ConnectionPool.CLOSED_STATE);
    }

    /** One caller's use of the connection, from {@code getConnection} to {@code close}. */
    private final class Lease implements InvocationHandler {
        private final List<Statement> opened = new ArrayList<>();
        private final List<CachedStatement> cached = new ArrayList<>();
        private boolean closed;
        private boolean changed;
        private Connection self;

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            self = (Connection) proxy;
            switch (m.getName()) {
                case "close":
                    end();
                    return null;
                case "isClosed":
                    return closed || physical.isClosed();
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "pooled " + physical;
                default:
                    break;
            }
            if (closed) {
                throw closedError("the connection");
            }
            if (m.getName().equals("prepareStatement") && args.length == 1) {
                return prepare((String) args[0]);
            }
            changed |= SESSION_CHANGES.contains(m.getName());
            Object result = call(physical, m, args);
            if (result instanceof Statement s) {
                opened.add(s);
            }
            return result;
        }

        private PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            boolean keep = true;
            if (ps == null || ps.isClosed()) {
                ps = physical.prepareStatement(sql);
                statements.put(sql, ps);
            } else if (inUse.contains(ps)) {
                ps = physical.prepareStatement(sql); // the same SQL twice in one lease: the second is not kept
                keep = false;
            }
            if (!keep) {
                opened.add(ps);
                return ps;
            }
            inUse.add(ps);
            CachedStatement handler = new CachedStatement(ps, self);
            cached.add(handler);
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, handler);
        }

        private void end() {
            if (closed) {
                return;
            }
            closed = true;
            boolean reusable = !changed;
            for (CachedStatement s : cached) {
                reusable &= s.release();
            }
            opened.forEach(PooledConnection::closeQuietly);
            try {
                if (!physical.getAutoCommit()) {
                    physical.rollback(); // what the caller did not commit is not kept, as if it had closed it
                    physical.setAutoCommit(true);
                }
                physical.clearWarnings();
            } catch (SQLException e) {
                reusable = false; // Derby closed it under the caller (shutdown, severe error)
            }
            pool.release(PooledConnection.this, reusable);
        }
    }

    /** A kept statement as one caller sees it: closing it clears it for the next. */
    private final class CachedStatement implements InvocationHandler {
        private final PreparedStatement ps;
        private final Connection connection;
        private final List<ResultSet> results = new ArrayList<>(1);
        private boolean closed;

        CachedStatement(PreparedStatement ps, Connection connection) {
            this.ps = ps;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "close":
                    release();
                    return null;
                case "isClosed":
                    return closed || ps.isClosed();
                case "getConnection":
                    return connection;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "pooled " + ps;
                default:
                    break;
            }
            if (closed) {
                throw closedError("the statement");
            }
            Object result = call(ps, m, args);
            if (result instanceof ResultSet rs) {
                results.add(rs);
            }
            return result;
        }

        /** @return whether the statement is fit for another caller */
        boolean release() {
            if (closed) {
                return true;
            }
            closed = true;
            inUse.remove(ps);
            try {
                for (ResultSet rs : results) {
                    rs.close();
                }
                results.clear();
                ps.clearParameters();
                ps.clearBatch();
                if (!statements.containsValue(ps)) {
                    ps.close(); // fell out of the cache while in use
                }
                return true;
            } catch (SQLException e) {
                statements.values().remove(ps);
                closeQuietly(ps);
                return false;
            }
        }
    }
}
