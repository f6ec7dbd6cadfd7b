package io.harmonix.autonomy.internal.controller;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The controller's durable memory in the runtime's database (schema component {@value #COMPONENT}): its runs, the
 * result of each phase of each run (a phase whose result is here is done: run again after a crash, it answers that
 * result instead of acting twice), what each scoring rule's shipped changes became (kept or failed), the changes it
 * shipped (to notice their rollback later) and a few named values (the count of failures in a row, the automatic
 * quarantine). No identity columns: no insert can meet Derby's 40XL1 right after boot.
 */
final class RunStore {
    static final String COMPONENT = "autonomy-controller";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "controller runs, phase results, rule outcomes",
            "CREATE TABLE AUT_RUN (ID VARCHAR(200) PRIMARY KEY, TRIGGER_KIND VARCHAR(32) NOT NULL, "
                    + "STARTED_AT TIMESTAMP NOT NULL, ENDED_AT TIMESTAMP, PHASE VARCHAR(16) NOT NULL, "
                    + "STATE VARCHAR(16) NOT NULL, COALESCED INT NOT NULL)",
            "CREATE TABLE AUT_PHASE (RUN_ID VARCHAR(200) NOT NULL, PHASE VARCHAR(16) NOT NULL, RESULT CLOB NOT NULL, "
                    + "DONE_AT TIMESTAMP NOT NULL, PRIMARY KEY (RUN_ID, PHASE))",
            "CREATE TABLE AUT_RULE (RULE_ID VARCHAR(200) PRIMARY KEY, KEPT INT NOT NULL, FAILED INT NOT NULL)",
            "CREATE TABLE AUT_SHIPPED (CHANGE_ID BIGINT PRIMARY KEY, RUN_ID VARCHAR(200) NOT NULL, "
                    + "RULE_ID VARCHAR(200) NOT NULL, REPO VARCHAR(200) NOT NULL, COMMIT_SHA VARCHAR(40), "
                    + "ENHANCEMENT_ID BIGINT NOT NULL, ROLLED_BACK SMALLINT NOT NULL)",
            "CREATE TABLE AUT_STATE (NAME VARCHAR(100) PRIMARY KEY, VAL VARCHAR(4000))"));

    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";

    /** A run as the table keeps it. */
    record RunRow(String id, String trigger, Instant startedAt, Instant endedAt, String phase, String state,
            int coalesced) {
    }

    /** A shipped change as kept to notice its rollback. */
    record Shipped(long changeId, String runId, String rule, String repo, String commit, long enhancementId,
            boolean rolledBack) {
    }

    private final DataSource dataSource;

    RunStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a run that has just started; nothing when it is recorded already (a task run again). */
    void insertRun(String id, String trigger, Instant at) throws SQLException {
        if (run(id).isPresent()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO AUT_RUN (ID, TRIGGER_KIND, STARTED_AT, PHASE, STATE, COALESCED) VALUES (?,?,?,?,?,0)")) {
            s.setString(1, id);
            s.setString(2, trigger);
            s.setTimestamp(3, Timestamp.from(at));
            s.setString(4, Phase.SENSE.name());
            s.setString(5, RUNNING);
            s.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) { // a duplicate key: recorded by the other caller, as wanted
                throw e;
            }
        }
    }

    Optional<RunRow> run(String id) throws SQLException {
        List<RunRow> found = Rows.list(dataSource, "SELECT * FROM AUT_RUN WHERE ID = ?", RunStore::row, id);
        return found.stream().findFirst();
    }

    /** @return the newest runs first */
    List<RunRow> runs(int limit) throws SQLException {
        return Rows.list(dataSource, "SELECT * FROM AUT_RUN ORDER BY STARTED_AT DESC, ID DESC FETCH FIRST "
                + Math.max(1, limit) + " ROWS ONLY", RunStore::row);
    }

    List<RunRow> running() throws SQLException {
        return Rows.list(dataSource, "SELECT * FROM AUT_RUN WHERE STATE = ? ORDER BY STARTED_AT", RunStore::row,
                RUNNING);
    }

    void phase(String id, Phase phase) throws SQLException {
        update("UPDATE AUT_RUN SET PHASE = ? WHERE ID = ? AND STATE = '" + RUNNING + "'", phase.name(), id);
    }

    void coalesce(String id) throws SQLException {
        update("UPDATE AUT_RUN SET COALESCED = COALESCED + 1 WHERE ID = ?", id);
    }

    void end(String id, String state, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE AUT_RUN SET STATE = ?, ENDED_AT = ? WHERE ID = ? AND STATE = '" + RUNNING + "'")) {
            s.setString(1, state);
            s.setTimestamp(2, Timestamp.from(at));
            s.setString(3, id);
            s.executeUpdate();
        }
    }

    /** @return the result a phase of the run recorded, or empty when it has not ended */
    Optional<String> result(String runId, Phase phase) throws SQLException {
        return Rows.list(dataSource, "SELECT RESULT FROM AUT_PHASE WHERE RUN_ID = ? AND PHASE = ?",
                r -> r.getString(1), runId, phase.name()).stream().findFirst();
    }

    /**
     * Records a phase's result; with {@code also}, in the same transaction (LEARN's counters move exactly when its
     * result is recorded, so a crash between the two cannot count twice).
     *
     * @return the result kept: this one, or the one recorded first by another attempt
     */
    String saveResult(String runId, Phase phase, String json, SqlWork also) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO AUT_PHASE (RUN_ID, PHASE, RESULT, DONE_AT) VALUES (?,?,?,?)")) {
                s.setString(1, runId);
                s.setString(2, phase.name());
                s.setString(3, json);
                s.setTimestamp(4, Timestamp.from(Instant.now()));
                s.executeUpdate();
                if (also != null) {
                    also.run(c);
                }
                c.commit();
                return json;
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState())) {
                    return result(runId, phase).orElseThrow(() -> e);
                }
                throw e;
            }
        }
    }

    /** Work done inside another statement's transaction. */
    @FunctionalInterface
    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** @return kept and failed changes per rule */
    Map<String, int[]> ruleOutcomes() throws SQLException {
        Map<String, int[]> out = new TreeMap<>();
        for (Object[] r : Rows.list(dataSource, "SELECT RULE_ID, KEPT, FAILED FROM AUT_RULE",
                rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getInt(3)})) {
            out.put((String) r[0], new int[] {(Integer) r[1], (Integer) r[2]});
        }
        return out;
    }

    static void addOutcome(Connection c, String rule, int kept, int failed) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE AUT_RULE SET KEPT = KEPT + ?, FAILED = FAILED + ? WHERE RULE_ID = ?")) {
            s.setInt(1, kept);
            s.setInt(2, failed);
            s.setString(3, rule);
            if (s.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO AUT_RULE (RULE_ID, KEPT, FAILED) VALUES (?,?,?)")) {
            s.setString(1, rule);
            s.setInt(2, kept);
            s.setInt(3, failed);
            s.executeUpdate();
        }
    }

    static void addShipped(Connection c, Shipped s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO AUT_SHIPPED (CHANGE_ID, RUN_ID, RULE_ID, REPO, "
                + "COMMIT_SHA, ENHANCEMENT_ID, ROLLED_BACK) VALUES (?,?,?,?,?,?,0)")) {
            p.setLong(1, s.changeId());
            p.setString(2, s.runId());
            p.setString(3, s.rule());
            p.setString(4, s.repo());
            p.setString(5, s.commit());
            p.setLong(6, s.enhancementId());
            p.executeUpdate();
        }
    }

    static void markRolledBack(Connection c, long changeId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE AUT_SHIPPED SET ROLLED_BACK = 1 WHERE CHANGE_ID = ?")) {
            p.setLong(1, changeId);
            p.executeUpdate();
        }
    }

    /** @return the shipped changes not known rolled back */
    List<Shipped> standing() throws SQLException {
        return Rows.list(dataSource, "SELECT * FROM AUT_SHIPPED WHERE ROLLED_BACK = 0 ORDER BY CHANGE_ID",
                r -> new Shipped(r.getLong("CHANGE_ID"), r.getString("RUN_ID"), r.getString("RULE_ID"),
                        r.getString("REPO"), r.getString("COMMIT_SHA"), r.getLong("ENHANCEMENT_ID"), false));
    }

    Optional<String> value(String name) throws SQLException {
        return Rows.list(dataSource, "SELECT VAL FROM AUT_STATE WHERE NAME = ?", r -> r.getString(1), name).stream()
                .findFirst();
    }

    void setValue(String name, String value) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            setValue(c, name, value);
        }
    }

    static void setValue(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE AUT_STATE SET VAL = ? WHERE NAME = ?")) {
            s.setString(1, value);
            s.setString(2, name);
            if (s.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO AUT_STATE (NAME, VAL) VALUES (?,?)")) {
            s.setString(1, name);
            s.setString(2, value);
            s.executeUpdate();
        }
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    private static RunRow row(ResultSet r) throws SQLException {
        Timestamp ended = r.getTimestamp("ENDED_AT");
        return new RunRow(r.getString("ID"), r.getString("TRIGGER_KIND"), r.getTimestamp("STARTED_AT").toInstant(),
                ended == null ? null : ended.toInstant(), r.getString("PHASE"), r.getString("STATE"),
                r.getInt("COALESCED"));
    }
}
