package io.harmonix.state.internal;

import io.harmonix.store.api.ForwardingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The shared DataSource as this bundle uses it: {@link #close} waits until every connection it handed out is
 * closed and refuses new ones. The store shuts Derby down right after this bundle lets go of it, and Derby
 * interrupts threads it finds inside the database when it shuts down; a thread interrupted in the middle of a
 * page write left the database unable to shut down or boot again (seen when the store bundle was stopped under a
 * running run). With this guard no thread of ours is inside Derby by then.
 */
final class GuardedDataSource extends ForwardingDataSource {
    private final DataSource delegate;
    /**
     * Connections handed out and not closed yet. A count, not a read lock: a connection may be closed by another
     * thread than the one that opened it (the checkpoint committer keeps one across its leaders), and a read lock
     * belongs to the thread that took it.
     */
    private final Object inFlight = new Object();
    private int open;
    private boolean closed;

    GuardedDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Only the connections are guarded: the rest of the DataSource is the store's as it is. */
    @Override
    protected DataSource delegate() {
        return delegate;
    }

    /** Refuses new connections and waits (up to {@code seconds}) for the open ones to close. */
    boolean close(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (inFlight) {
            closed = true;
            while (open > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(inFlight, left);
            }
            return true;
        }
    }

    private void release() {
        synchronized (inFlight) {
            open--;
            inFlight.notifyAll();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guard(delegate::getConnection);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return guard(() -> delegate.getConnection(user, password));
    }

    private interface Opener {
        Connection open() throws SQLException;
    }

    private Connection guard(Opener opener) throws SQLException {
        synchronized (inFlight) {
            if (closed) {
                throw new SQLException("the state store is closing: its database is going away", "08003");
            }
            open++;
        }
        Connection c;
        try {
            c = opener.open();
        } catch (SQLException | RuntimeException e) {
            release();
            throw e;
        }
        boolean[] released = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try {
                            c.close();
                        } finally {
                            boolean first;
                            synchronized (released) {
                                first = !released[0];
                                released[0] = true;
                            }
                            if (first) {
                                release();
                            }
                        }
                        return null;
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
