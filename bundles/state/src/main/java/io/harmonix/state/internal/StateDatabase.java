package io.harmonix.state.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.StateConflictException;
import io.harmonix.cycle.api.StateMigrationException;
import io.harmonix.cycle.api.StateMigrations;
import io.harmonix.cycle.api.StateStore;
import io.harmonix.cycle.api.StoredState;
import io.harmonix.state.api.AgentCheckpoint;
import io.harmonix.state.api.RunJournal;
import io.harmonix.state.api.RunRecord;
import io.harmonix.state.api.StateAdmin;
import io.harmonix.store.api.Migration;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Agent state and the run journal on the shared DataSource. Payloads are stored as canonical JSON with their
 * digest and state version; loading hands older states through the agent's migrations.
 */
public final class StateDatabase implements StateStore, RunJournal, StateAdmin {
    public static final String COMPONENT = "state";
    public static final List<Migration> MIGRATIONS = List.of(
            Migration.of(1, "agent states, run journal, committed cycles",
                    "CREATE TABLE AGENT_STATE (RUN_ID VARCHAR(64) NOT NULL, AGENT_ID VARCHAR(64) NOT NULL, "
                            + "CYCLE BIGINT NOT NULL, STATE_VERSION INT NOT NULL, PAYLOAD CLOB NOT NULL, "
                            + "DIGEST CHAR(64) NOT NULL, SAVED_AT TIMESTAMP NOT NULL, "
                            + "PRIMARY KEY (RUN_ID, AGENT_ID, CYCLE))",
                    "CREATE TABLE RUN_JOURNAL (RUN_ID VARCHAR(64) NOT NULL PRIMARY KEY, DEFINITION CLOB NOT NULL, "
                            + "STATE VARCHAR(16) NOT NULL, LAST_CYCLE BIGINT NOT NULL, MESSAGE VARCHAR(1000), "
                            + "FORKED_FROM VARCHAR(100), CREATED_AT TIMESTAMP NOT NULL, UPDATED_AT TIMESTAMP NOT NULL)",
                    "CREATE TABLE RUN_CYCLE (RUN_ID VARCHAR(64) NOT NULL, CYCLE BIGINT NOT NULL, "
                            + "CYCLE_ID VARCHAR(130) NOT NULL, SNAPSHOT CLOB NOT NULL, COMMITTED_AT TIMESTAMP NOT NULL, "
                            + "PRIMARY KEY (RUN_ID, CYCLE))"));
    private static final String DUPLICATE_KEY = "23505";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Function<String, Agent> agents;
    private final CheckpointCommitter committer;

    /**
     * @param agents the agent service of an id, or null when none is present (states then load as stored)
     */
    public StateDatabase(DataSource dataSource, Function<String, Agent> agents) {
        this.dataSource = dataSource;
        this.agents = agents;
        this.committer = new CheckpointCommitter(dataSource);
    }

    // ---- StateStore -----------------------------------------------------------------------------------------

    @Override
    public void saveState(String agentId, String runId, long cycle, JsonNode payload) throws IOException {
        Agent agent = agents.apply(agentId);
        int version = agent != null ? agent.stateVersion()
                : latestRaw(agentId, runId).map(StoredState::stateVersion).orElse(1);
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT_STATE)) {
            insertState(c, insert, runId, new AgentCheckpoint(agentId, version, payload), cycle);
        } catch (SQLException e) {
            throw io("save the state of agent '" + agentId + "' in run " + runId + " cycle " + cycle, e);
        }
    }

    static final String INSERT_STATE = "INSERT INTO AGENT_STATE (RUN_ID, AGENT_ID, CYCLE, STATE_VERSION, PAYLOAD, "
            + "DIGEST, SAVED_AT) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /**
     * Inserts a state with {@code insert} (a statement of {@link #INSERT_STATE} on {@code c}); the same state again
     * is accepted (idempotent), a different one is a conflict.
     */
    static void insertState(Connection c, PreparedStatement insert, String runId, AgentCheckpoint s, long cycle)
            throws SQLException, StateConflictException {
        String json = CycleSnapshots.canonicalJson(s.state());
        String digest = CycleSnapshots.digest(s.state());
        // PostgreSQL ends a transaction at its first failed statement, unless it is rolled back to a savepoint: a
        // duplicate met inside the checkpoint's transaction would fail everything after it, the comparison below
        // first. Derby fails the statement alone, so it needs (and pays for) no savepoint.
        Savepoint beforeInsert = failedStatementEndsTransaction(c) ? c.setSavepoint() : null;
        try {
            insert.setString(1, runId);
            insert.setString(2, s.agentId());
            insert.setLong(3, cycle);
            insert.setInt(4, s.stateVersion());
            insert.setString(5, json);
            insert.setString(6, digest);
            insert.setTimestamp(7, Timestamp.from(Instant.now()));
            insert.executeUpdate();
            if (beforeInsert != null) {
                c.releaseSavepoint(beforeInsert);
            }
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
            if (beforeInsert != null) {
                c.rollback(beforeInsert);
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT DIGEST FROM AGENT_STATE WHERE RUN_ID = ? AND AGENT_ID = ? AND CYCLE = ?")) {
                q.setString(1, runId);
                q.setString(2, s.agentId());
                q.setLong(3, cycle);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals(digest)) {
                        return; // the same write twice
                    }
                }
            }
            throw new StateConflictException("a different state of agent '" + s.agentId() + "' for run " + runId
                    + " cycle " + cycle + " was saved by another writer");
        }
    }

    /** Whether {@code c} is in a transaction that its database ends at a failed statement (PostgreSQL's do). */
    private static boolean failedStatementEndsTransaction(Connection c) throws SQLException {
        return !c.getAutoCommit() && c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    }

    @Override
    public Optional<StoredState> loadState(String agentId, String runId, long cycle) throws IOException {
        Optional<StoredState> raw = one("SELECT AGENT_ID, RUN_ID, CYCLE, STATE_VERSION, PAYLOAD, SAVED_AT FROM "
                + "AGENT_STATE WHERE AGENT_ID = ? AND RUN_ID = ? AND CYCLE = ?", agentId, runId, cycle);
        return raw.isEmpty() ? raw : Optional.of(migrated(raw.get()));
    }

    @Override
    public Optional<StoredState> latest(String agentId, String runId) throws IOException {
        Optional<StoredState> raw = latestRaw(agentId, runId);
        return raw.isEmpty() ? raw : Optional.of(migrated(raw.get()));
    }

    private Optional<StoredState> latestRaw(String agentId, String runId) throws IOException {
        // MAX over the primary key's last column, with its first two fixed: an index lookup, no sort
        return one("SELECT AGENT_ID, RUN_ID, CYCLE, STATE_VERSION, PAYLOAD, SAVED_AT FROM AGENT_STATE "
                + "WHERE AGENT_ID = ? AND RUN_ID = ? AND CYCLE = (SELECT MAX(CYCLE) FROM AGENT_STATE "
                + "WHERE RUN_ID = ? AND AGENT_ID = ?)", agentId, runId, runId, agentId);
    }

    @Override
    public List<StoredState> history(String agentId, String runId, int offset, int limit) throws IOException {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1; were " + offset + ", " + limit);
        }
        List<StoredState> raw = many("SELECT AGENT_ID, RUN_ID, CYCLE, STATE_VERSION, PAYLOAD, SAVED_AT FROM "
                + "AGENT_STATE WHERE AGENT_ID = ? AND RUN_ID = ? ORDER BY CYCLE DESC OFFSET " + offset
                + " ROWS FETCH NEXT " + limit + " ROWS ONLY", agentId, runId);
        List<StoredState> out = new ArrayList<>();
        for (StoredState s : raw) {
            out.add(migrated(s));
        }
        return out;
    }

    @Override
    public List<StoredState> allRaw() throws IOException {
        return many("SELECT AGENT_ID, RUN_ID, CYCLE, STATE_VERSION, PAYLOAD, SAVED_AT FROM AGENT_STATE "
                + "ORDER BY RUN_ID, AGENT_ID, CYCLE");
    }

    @Override
    public int deleteRun(String runId) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int n;
            try (PreparedStatement a = c.prepareStatement("DELETE FROM AGENT_STATE WHERE RUN_ID = ?");
                    PreparedStatement b = c.prepareStatement("DELETE FROM RUN_CYCLE WHERE RUN_ID = ?");
                    PreparedStatement r = c.prepareStatement("DELETE FROM RUN_JOURNAL WHERE RUN_ID = ?")) {
                a.setString(1, runId);
                n = a.executeUpdate();
                b.setString(1, runId);
                b.executeUpdate();
                r.setString(1, runId);
                r.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            return n;
        } catch (SQLException e) {
            throw io("delete run " + runId, e);
        }
    }

    @Override
    public void rewrite(List<StoredState> states) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE AGENT_STATE SET STATE_VERSION = ?, PAYLOAD = ?, "
                    + "DIGEST = ? WHERE RUN_ID = ? AND AGENT_ID = ? AND CYCLE = ?")) {
                for (StoredState s : states) {
                    ps.setInt(1, s.stateVersion());
                    ps.setString(2, CycleSnapshots.canonicalJson(s.payload()));
                    ps.setString(3, CycleSnapshots.digest(s.payload()));
                    ps.setString(4, s.runId());
                    ps.setString(5, s.agentId());
                    ps.setLong(6, s.cycle());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw io("rewrite " + states.size() + " migrated states", e);
        }
    }

    @Override
    public StoredState migrated(StoredState s) throws StateMigrationException {
        Agent agent = agents.apply(s.agentId());
        if (agent == null || agent.stateVersion() == s.stateVersion()) {
            return s;
        }
        JsonNode payload = StateMigrations.migrate(agent, s.agentId(), "run " + s.runId() + " cycle " + s.cycle(),
                s.stateVersion(), s.payload());
        return new StoredState(s.agentId(), s.runId(), s.cycle(), agent.stateVersion(), payload, s.savedAt());
    }

    // ---- RunJournal -----------------------------------------------------------------------------------------

    @Override
    public RunRecord createRun(String runId, JsonNode definition, long startCycle, String forkedFrom)
            throws IOException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO RUN_JOURNAL (RUN_ID, DEFINITION, STATE, "
                        + "LAST_CYCLE, FORKED_FROM, CREATED_AT, UPDATED_AT) VALUES (?, ?, 'running', ?, ?, ?, ?)")) {
            ps.setString(1, runId);
            ps.setString(2, CycleSnapshots.canonicalJson(definition));
            ps.setLong(3, startCycle - 1);
            ps.setString(4, forkedFrom);
            ps.setTimestamp(5, now);
            ps.setTimestamp(6, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                throw new StateConflictException("a run with id '" + runId + "' exists already in the journal");
            }
            throw io("record run " + runId, e);
        }
        return run(runId).orElseThrow();
    }

    /** Group-committed with the checkpoints of other runs: see {@link CheckpointCommitter}. */
    @Override
    public void checkpoint(CycleSnapshot snapshot, List<AgentCheckpoint> states) throws IOException {
        committer.checkpoint(snapshot, states);
    }

    /** Gives back the connection checkpoints are written on; call before the DataSource goes away. */
    public void close() {
        committer.close();
    }

    @Override
    public void setState(String runId, String state, String message) throws IOException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE RUN_JOURNAL SET STATE = ?, MESSAGE = ?, UPDATED_AT = ? WHERE RUN_ID = ?")) {
            ps.setString(1, state);
            ps.setString(2, message == null ? null : message.substring(0, Math.min(1000, message.length())));
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.setString(4, runId);
            if (ps.executeUpdate() == 0) {
                throw new IOException("run " + runId + " is not in the journal");
            }
        } catch (SQLException e) {
            throw io("set the state of run " + runId, e);
        }
    }

    @Override
    public Optional<RunRecord> run(String runId) throws IOException {
        List<RunRecord> runs = runs("WHERE RUN_ID = ?", runId);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    @Override
    public List<RunRecord> runs() throws IOException {
        return runs("ORDER BY CREATED_AT, RUN_ID");
    }

    private List<RunRecord> runs(String where, Object... args) throws IOException {
        List<RunRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT RUN_ID, "
                + "DEFINITION, STATE, LAST_CYCLE, MESSAGE, FORKED_FROM, CREATED_AT, UPDATED_AT FROM RUN_JOURNAL "
                + where)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunRecord(rs.getString(1), JSON.readTree(rs.getString(2)), rs.getString(3),
                            rs.getLong(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                            rs.getTimestamp(8).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw io("read the run journal", e);
        }
        return out;
    }

    @Override
    public List<CycleSnapshot> cycles(String runId, long afterCycle, int limit) throws IOException {
        List<CycleSnapshot> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT SNAPSHOT "
                + "FROM RUN_CYCLE WHERE RUN_ID = ? AND CYCLE > ? ORDER BY CYCLE FETCH FIRST " + Math.max(1, limit)
                + " ROWS ONLY")) {
            ps.setString(1, runId);
            ps.setLong(2, afterCycle);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(CycleSnapshots.fromJson(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw io("read the cycles of run " + runId, e);
        }
        return out;
    }

    @Override
    public Map<String, StoredState> statesAt(String runId, long cycle) throws IOException {
        // the latest cycle of each agent at or before CYCLE, then those rows by primary key
        List<StoredState> raw = many("SELECT S.AGENT_ID, S.RUN_ID, S.CYCLE, S.STATE_VERSION, S.PAYLOAD, S.SAVED_AT "
                + "FROM (SELECT AGENT_ID, MAX(CYCLE) AS UPTO FROM AGENT_STATE WHERE RUN_ID = ? AND CYCLE <= ? "
                + "GROUP BY AGENT_ID) M JOIN AGENT_STATE S ON S.RUN_ID = ? AND S.AGENT_ID = M.AGENT_ID "
                + "AND S.CYCLE = M.UPTO", runId, cycle, runId);
        Map<String, StoredState> out = new TreeMap<>();
        for (StoredState s : raw) {
            out.put(s.agentId(), migrated(s));
        }
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Optional<StoredState> one(String sql, Object... args) throws IOException {
        List<StoredState> all = many(sql, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private List<StoredState> many(String sql, Object... args) throws IOException {
        List<StoredState> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredState(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                            JSON.readTree(rs.getString(5)), rs.getTimestamp(6).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw io("read agent states", e);
        }
        return out;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) args[i]);
            }
        }
    }

    static IOException io(String what, SQLException e) {
        return new IOException("could not " + what + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
    }

}
