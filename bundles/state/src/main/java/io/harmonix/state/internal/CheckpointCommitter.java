package io.harmonix.state.internal;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.StateConflictException;
import io.harmonix.state.api.AgentCheckpoint;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Group commit of the runs' checkpoints: the checkpoints that arrive while a commit runs go into the next Derby
 * transaction together, so that they share one log write (Derby opens its log with {@code O_DSYNC}: every commit
 * is one synced write). The thread that finds no commit under way leads: it takes every checkpoint waiting, its
 * own included, writes them in one transaction and wakes their callers; the others wait for it (leader and
 * followers, no thread of its own). A checkpoint that fails (a gap, another writer) is rolled back to its savepoint
 * and fails alone; a failed commit fails every checkpoint of its transaction.
 *
 * <p>The leader writes on one connection kept open with its statements prepared (opening a Derby connection and
 * preparing four statements cost more than the commit itself); {@link #close} gives it back before the state
 * bundle lets the database go. A connection that failed is dropped and the next leader opens another.
 */
final class CheckpointCommitter {
    private final DataSource dataSource;
    private final Object lock = new Object();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean leading;
    private boolean closed;
    /** The leader's connection and statements; only the leader uses them. */
    private Statements open;

    CheckpointCommitter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One checkpoint waiting for its transaction, and what became of it. */
    private static final class Request {
        final CycleSnapshot snapshot;
        final List<AgentCheckpoint> states;
        boolean finished;
        IOException failure;

        Request(CycleSnapshot snapshot, List<AgentCheckpoint> states) {
            this.snapshot = snapshot;
            this.states = states;
        }
    }

    /** See {@link io.harmonix.state.api.RunJournal#checkpoint}: returns once committed (or refused). */
    void checkpoint(CycleSnapshot snapshot, List<AgentCheckpoint> states) throws IOException {
        Request mine = new Request(snapshot, List.copyOf(states));
        List<Request> batch;
        boolean interrupted = false;
        synchronized (lock) {
            if (closed) {
                throw new IOException("could not checkpoint run " + snapshot.runId() + " cycle " + snapshot.cycle()
                        + ": the state store is closing: its database is going away");
            }
            waiting.add(mine);
            // not interruptible: a checkpoint handed to a leader may be committed whatever its caller does, so the
            // caller waits for the answer (one commit at most) instead of reporting a failure that did not happen
            while (!mine.finished && leading) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!mine.finished) {
                leading = true;
                batch = new ArrayList<>(waiting);
                waiting.clear();
            } else {
                batch = null;
            }
        }
        if (batch != null) {
            try {
                commit(batch);
            } finally {
                synchronized (lock) {
                    leading = false;
                    for (Request r : batch) {
                        r.finished = true;
                    }
                    lock.notifyAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /** Gives the connection back; checkpoints after this are refused. Waits for a commit under way. */
    void close() {
        synchronized (lock) {
            closed = true;
            while (leading) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            drop();
        }
    }

    /** Writes {@code batch} in one transaction; sets each request's failure, if any. */
    private void commit(List<Request> batch) {
        Statements s;
        try {
            s = statements();
        } catch (SQLException e) {
            batch.forEach(r -> r.failure = io(r, e));
            return;
        }
        Connection c = s.connection;
        try {
            for (Request r : batch) {
                Savepoint point = batch.size() > 1 ? c.setSavepoint() : null;
                try {
                    apply(s, r);
                } catch (SQLException | IOException | RuntimeException e) {
                    r.failure = e instanceof IOException io ? io
                            : e instanceof SQLException sql ? io(r, sql) : new IOException(e.toString(), e);
                    try {
                        if (point != null) {
                            c.rollback(point);
                        } else {
                            c.rollback();
                        }
                    } catch (SQLException again) {
                        r.failure.addSuppressed(again);
                        throw again;
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            // the commit (or a rollback) failed: nothing of this transaction is durable
            for (Request r : batch) {
                if (r.failure == null) {
                    r.failure = io(r, e);
                }
            }
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped below; Derby rolls back what it still holds when it closes
            }
            drop();
        }
    }

    /** The checkpoint of one cycle within the leader's transaction. */
    private static void apply(Statements s, Request r) throws SQLException, IOException {
        CycleSnapshot snapshot = r.snapshot;
        String runId = snapshot.runId();
        long cycle = snapshot.cycle();
        Timestamp now = Timestamp.from(Instant.now());
        s.advance.setLong(1, cycle);
        s.advance.setTimestamp(2, now);
        s.advance.setString(3, runId);
        s.advance.setLong(4, cycle - 1);
        if (s.advance.executeUpdate() == 0) {
            // not at the cycle before: say why (and accept the same cycle twice when it is the very snapshot
            // committed: a retry after a lost answer)
            s.last.setString(1, runId);
            try (ResultSet rs = s.last.executeQuery()) {
                if (!rs.next()) {
                    throw new StateConflictException("run " + runId + " is not in the journal");
                }
                long last = rs.getLong(1);
                if (last == cycle) {
                    if (committedAlready(s, snapshot)) {
                        return;
                    }
                    // another writer's cycle of the same number (two runtimes drove the run, one of them after its
                    // lease ran out): taking it as a retry let the late writer go on from states the journal never
                    // held. This refusal is the fence of the runs shared by lease (docs/architecture.md, Cluster)
                    throw new StateConflictException("run " + runId + " has cycle " + cycle + " committed by "
                            + "another writer already");
                }
                throw new StateConflictException("run " + runId + " has committed cycle " + last + "; cycle "
                        + cycle + " cannot follow it");
            }
        }
        for (AgentCheckpoint state : r.states) {
            StateDatabase.insertState(s.connection, s.insertState, runId, state, cycle);
        }
        s.insertCycle.setString(1, runId);
        s.insertCycle.setLong(2, cycle);
        s.insertCycle.setString(3, snapshot.cycleId());
        s.insertCycle.setString(4, CycleSnapshots.toCanonicalJson(snapshot));
        s.insertCycle.setTimestamp(5, now);
        s.insertCycle.executeUpdate();
    }

    /** @return true when the cycle committed as {@code snapshot}'s is that very snapshot (same canonical JSON) */
    private static boolean committedAlready(Statements s, CycleSnapshot snapshot) throws SQLException, IOException {
        s.committed.setString(1, snapshot.runId());
        s.committed.setLong(2, snapshot.cycle());
        try (ResultSet rs = s.committed.executeQuery()) {
            return rs.next() && CycleSnapshots.toCanonicalJson(snapshot).equals(rs.getString(1));
        }
    }

    private Statements statements() throws SQLException {
        if (open == null) {
            open = new Statements(dataSource.getConnection());
        }
        return open;
    }

    private void drop() {
        if (open != null) {
            try {
                open.connection.close();
            } catch (SQLException ignored) {
                // a connection Derby closed already (a failed log write): nothing to give back
            }
            open = null;
        }
    }

    private static IOException io(Request r, SQLException e) {
        return StateDatabase.io("checkpoint run " + r.snapshot.runId() + " cycle " + r.snapshot.cycle(), e);
    }

    /** The leader's connection and its prepared statements. */
    private static final class Statements {
        final Connection connection;
        final PreparedStatement advance;
        final PreparedStatement last;
        final PreparedStatement committed;
        final PreparedStatement insertState;
        final PreparedStatement insertCycle;

        Statements(Connection connection) throws SQLException {
            this.connection = connection;
            try {
                connection.setAutoCommit(false);
                // one statement moves the run on and locks its row; the row count says whether it was at cycle - 1
                advance = connection.prepareStatement("UPDATE RUN_JOURNAL SET LAST_CYCLE = ?, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND LAST_CYCLE = ?");
                last = connection.prepareStatement("SELECT LAST_CYCLE FROM RUN_JOURNAL WHERE RUN_ID = ?");
                committed = connection.prepareStatement("SELECT SNAPSHOT FROM RUN_CYCLE WHERE RUN_ID = ? AND CYCLE = ?");
                insertState = connection.prepareStatement(StateDatabase.INSERT_STATE);
                insertCycle = connection.prepareStatement("INSERT INTO RUN_CYCLE (RUN_ID, CYCLE, CYCLE_ID, "
                        + "SNAPSHOT, COMMITTED_AT) VALUES (?, ?, ?, ?, ?)");
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
    }
}
