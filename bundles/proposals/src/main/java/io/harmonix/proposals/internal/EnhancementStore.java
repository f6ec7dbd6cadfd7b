package io.harmonix.proposals.internal;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Severity;
import io.harmonix.fleet.api.Repository;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.api.ValidationStep;
import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The enhancements and their validation steps in the runtime's database (schema component {@value #COMPONENT}).
 * Every change of status is a compare-and-set on the status it leaves, checked against
 * {@link EnhancementStatus#canBecome}: two callers (a validation resumed after a crash and the one that was
 * interrupted, two rollbacks asked at once) never both move a record.
 */
final class EnhancementStore {
    static final String COMPONENT = "proposals";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "enhancements and their validation steps",
            "CREATE TABLE PROP_ENHANCEMENT (ID BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "WAVE_ID VARCHAR(200), AGENT_ID VARCHAR(200), AGENT_TYPE VARCHAR(100) NOT NULL, "
                    + "RULE_ID VARCHAR(200) NOT NULL, FINGERPRINT VARCHAR(200) NOT NULL, "
                    + "SEVERITY VARCHAR(16) NOT NULL, COMPONENT VARCHAR(1000) NOT NULL, "
                    + "REPOSITORY VARCHAR(200) NOT NULL, REPOSITORY_PATH VARCHAR(2000) NOT NULL, "
                    + "BUILD_COMMAND VARCHAR(4000), TEST_COMMAND VARCHAR(4000), BASE_COMMIT CHAR(40) NOT NULL, "
                    + "DIFF CLOB NOT NULL, TITLE VARCHAR(1000) NOT NULL, DETAILS VARCHAR(4000) NOT NULL, "
                    + "STATUS VARCHAR(16) NOT NULL, REASON VARCHAR(8000) NOT NULL, BRANCH VARCHAR(300), "
                    + "RESULT_COMMIT CHAR(40), APPLIED_COMMIT CHAR(40), PROPOSED_AT TIMESTAMP NOT NULL, "
                    + "VALIDATED_AT TIMESTAMP, APPLIED_AT TIMESTAMP, ROLLED_BACK_AT TIMESTAMP, REVERT_OF BIGINT, "
                    + "REVERTED_BY BIGINT, WORKFLOW_INSTANCE VARCHAR(100), "
                    + "CONSTRAINT PROP_ONE_PER_FIX UNIQUE (REPOSITORY, FINGERPRINT, BASE_COMMIT))",
            "CREATE INDEX PROP_BY_STATUS ON PROP_ENHANCEMENT (STATUS)",
            "CREATE INDEX PROP_BY_APPLIED ON PROP_ENHANCEMENT (REPOSITORY, APPLIED_COMMIT)",
            "CREATE TABLE PROP_STEP (ENHANCEMENT_ID BIGINT NOT NULL, STEP VARCHAR(64) NOT NULL, "
                    + "ORD BIGINT GENERATED ALWAYS AS IDENTITY, PASSED BOOLEAN NOT NULL, CHECK_ID BIGINT, "
                    + "MESSAGE VARCHAR(8000) NOT NULL, DURATION_MS BIGINT NOT NULL, "
                    + "PRIMARY KEY (ENHANCEMENT_ID, STEP))"));

    private static final String COLUMNS = "ID, WAVE_ID, AGENT_ID, AGENT_TYPE, RULE_ID, FINGERPRINT, SEVERITY, "
            + "COMPONENT, REPOSITORY, REPOSITORY_PATH, BASE_COMMIT, DIFF, TITLE, DETAILS, STATUS, REASON, BRANCH, "
            + "RESULT_COMMIT, APPLIED_COMMIT, PROPOSED_AT, VALIDATED_AT, APPLIED_AT, ROLLED_BACK_AT, REVERT_OF, "
            + "REVERTED_BY, WORKFLOW_INSTANCE, BUILD_COMMAND, TEST_COMMAND";
    private static final int TEXT = 8000;

    /**
     * Held around each INSERT (an enhancement, a step), one at a time in the runtime: both tables take values from an
     * identity column, and Derby fails an INSERT at once with 40XL1 when it allocates the column's range (after each
     * boot, then every 100 rows) while another connection inserts too (docs/architecture.md;
     * EnhancementStoreConcurrencyTest).
     */
    private static final Object INSERTS = new Object();

    private final DataSource dataSource;

    EnhancementStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What validation runs in a repository, as it was when the proposal was submitted. */
    record Commands(String build, String test) {
    }

    /** An enhancement to insert: a proposal with what it fixes and where, or a rollback's revert. */
    record Draft(String waveId, String agentId, String agentType, String ruleId, String fingerprint,
            Severity severity, String component, String repository, String path, Commands commands,
            String baseCommit, String diff, String title, String details, Long revertOf) {
        static Draft of(String waveId, String agentId, Repository repository, Finding finding, Proposal proposal) {
            String improves = proposal.improves().isBlank() ? "" : " It " + proposal.improves() + ".";
            return new Draft(waveId, agentId, finding.agentType(), finding.ruleId(), proposal.fingerprint(),
                    finding.severity(), finding.component(), repository.name(), repository.path(),
                    new Commands(repository.buildCommand(), repository.testCommand()), proposal.commit(),
                    proposal.diff(), proposal.title(), finding.message() + " (" + finding.location() + ")."
                            + improves, null);
        }
    }

    /**
     * Inserts the enhancement, or finds the one of the same repository, fingerprint and base commit.
     *
     * @return its id
     */
    long insert(Draft d) throws SQLException {
        synchronized (INSERTS) {
            return insertLocked(d);
        }
    }

    private long insertLocked(Draft d) throws SQLException {
        Optional<Long> known = idOf(d.repository(), d.fingerprint(), d.baseCommit());
        if (known.isPresent()) {
            return known.get();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO PROP_ENHANCEMENT (WAVE_ID, AGENT_ID, "
                        + "AGENT_TYPE, RULE_ID, FINGERPRINT, SEVERITY, COMPONENT, REPOSITORY, REPOSITORY_PATH, "
                        + "BUILD_COMMAND, TEST_COMMAND, BASE_COMMIT, DIFF, TITLE, DETAILS, STATUS, REASON, "
                        + "PROPOSED_AT, REVERT_OF) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, d.waveId());
            s.setString(2, d.agentId());
            s.setString(3, d.agentType());
            s.setString(4, d.ruleId());
            s.setString(5, d.fingerprint());
            s.setString(6, d.severity().id());
            s.setString(7, cut(d.component() == null ? "" : d.component(), 1000));
            s.setString(8, d.repository());
            s.setString(9, d.path());
            s.setString(10, d.commands().build());
            s.setString(11, d.commands().test());
            s.setString(12, d.baseCommit());
            s.setString(13, d.diff());
            s.setString(14, cut(d.title(), 1000));
            s.setString(15, cut(d.details(), 4000));
            s.setString(16, EnhancementStatus.PROPOSED.name());
            s.setString(17, "");
            s.setTimestamp(18, Timestamp.from(Instant.now()));
            if (d.revertOf() == null) {
                s.setNull(19, Types.BIGINT);
            } else {
                s.setLong(19, d.revertOf());
            }
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                // submitted at the same moment by another caller: theirs is the record
                return idOf(d.repository(), d.fingerprint(), d.baseCommit()).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** Forgets the branch of a rejected enhancement whose branch was deleted (its result commit stays recorded). */
    void clearBranch(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE PROP_ENHANCEMENT SET BRANCH = NULL WHERE ID = ?")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
    }

    private Optional<Long> idOf(String repository, String fingerprint, String commit) throws SQLException {
        return Rows.list(dataSource, "SELECT ID FROM PROP_ENHANCEMENT WHERE REPOSITORY = ? AND FINGERPRINT = ? "
                + "AND BASE_COMMIT = ?", r -> r.getLong(1), repository, fingerprint, commit).stream().findFirst();
    }

    Optional<Enhancement> get(long id) throws SQLException {
        List<Enhancement> found = query("WHERE ID = ?", id);
        return found.stream().findFirst();
    }

    Commands commands(long id) throws SQLException {
        return Rows.list(dataSource, "SELECT BUILD_COMMAND, TEST_COMMAND FROM PROP_ENHANCEMENT WHERE ID = ?",
                r -> new Commands(r.getString(1), r.getString(2)), id).stream().findFirst().orElseThrow();
    }

    /** @return the enhancements of that status and wave (null: any), newest first */
    List<Enhancement> list(EnhancementStatus status, String waveId) throws SQLException {
        List<Object> values = new ArrayList<>();
        String where = Rows.whereEqual(List.of("STATUS", "WAVE_ID"),
                Arrays.asList(status == null ? null : status.name(), waveId), values);
        return query(where + " ORDER BY ID DESC", values.toArray());
    }

    /** @return the applied enhancements of a repository whose applied or result commit is {@code commit} */
    List<Enhancement> appliedAt(String repository, String commit) throws SQLException {
        return query("WHERE REPOSITORY = ? AND STATUS = ? AND (APPLIED_COMMIT = ? OR RESULT_COMMIT = ?)",
                repository, EnhancementStatus.APPLIED.name(), commit, commit);
    }

    private List<Enhancement> query(String clause, Object... values) throws SQLException {
        List<Enhancement> out = new ArrayList<>();
        Map<Long, List<ValidationStep>> steps = new LinkedHashMap<>();
        for (Row row : Rows.list(dataSource, "SELECT " + COLUMNS + " FROM PROP_ENHANCEMENT " + clause,
                EnhancementStore::row, values)) {
            out.add(row.enhancement(steps.computeIfAbsent(row.id(), this::stepsUnchecked)));
        }
        return out;
    }

    private List<ValidationStep> stepsUnchecked(long id) {
        try {
            return steps(id);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the validation steps of enhancement " + id + ": "
                    + e.getMessage(), e);
        }
    }

    /** One row, before its steps are read (a query inside a query's reading would hold two connections). */
    private record Row(long id, Object[] v) {
        Enhancement enhancement(List<ValidationStep> steps) {
            return new Enhancement(id, (String) v[1], (String) v[2], (String) v[3], (String) v[4], (String) v[5],
                    Severity.parse((String) v[6]), (String) v[7], (String) v[8], (String) v[9], (String) v[10],
                    (String) v[11], (String) v[12], (String) v[13], EnhancementStatus.valueOf((String) v[14]),
                    (String) v[15], steps, (String) v[16], (String) v[17], (String) v[18], (Instant) v[19],
                    (Instant) v[20], (Instant) v[21], (Instant) v[22], (Long) v[23], (Long) v[24],
                    (String) v[25]);
        }
    }

    private static Row row(ResultSet r) throws SQLException {
        Object[] v = new Object[26];
        for (int i = 1; i <= 26; i++) {
            Object o = r.getObject(i);
            if (o instanceof Timestamp t) {
                o = t.toInstant();
            } else if (o instanceof java.sql.Clob clob) {
                o = clob.getSubString(1, (int) clob.length());
            } else if (o instanceof String s && (i == 11 || i == 18 || i == 19)) {
                o = s.strip(); // CHAR(40) columns
            }
            v[i - 1] = o;
        }
        return new Row(r.getLong(1), v);
    }

    List<ValidationStep> steps(long id) throws SQLException {
        return Rows.list(dataSource, "SELECT STEP, PASSED, CHECK_ID, MESSAGE, DURATION_MS FROM PROP_STEP "
                + "WHERE ENHANCEMENT_ID = ? ORDER BY ORD", r -> new ValidationStep(r.getString(1), r.getBoolean(2),
                        (Long) r.getObject(3), r.getString(4), Duration.ofMillis(r.getLong(5))), id);
    }

    /** @return the step recorded under that name, if any */
    Optional<ValidationStep> step(long id, String name) throws SQLException {
        return steps(id).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Records a step once: a step already recorded under that name (by an attempt a crash interrupted after it
     * recorded) stays as it is, and is what this returns.
     */
    ValidationStep record(long id, ValidationStep step) throws SQLException {
        synchronized (INSERTS) {
            return recordLocked(id, step);
        }
    }

    private ValidationStep recordLocked(long id, ValidationStep step) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO PROP_STEP (ENHANCEMENT_ID, STEP, PASSED, "
                        + "CHECK_ID, MESSAGE, DURATION_MS) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, id);
            s.setString(2, step.name());
            s.setBoolean(3, step.passed());
            if (step.checkId() == null) {
                s.setNull(4, Types.BIGINT);
            } else {
                s.setLong(4, step.checkId());
            }
            s.setString(5, cut(step.message(), TEXT));
            s.setLong(6, step.duration().toMillis());
            s.executeUpdate();
            return step;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return step(id, step.name()).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * Moves an enhancement from {@code from} to {@code to} and sets the columns given, when it still is
     * {@code from}.
     *
     * @param columns column name to value: constants of this class, never input
     * @return true when it moved; false when its status was no longer {@code from}
     * @throws IllegalStateException when {@code to} may not follow {@code from}
     */
    boolean move(long id, EnhancementStatus from, EnhancementStatus to, String reason, Map<String, Object> columns)
            throws SQLException {
        if (!from.canBecome(to)) {
            throw new IllegalStateException("enhancement " + id + ": " + from.id() + " cannot become " + to.id()
                    + "; it may become " + from.next().stream().map(EnhancementStatus::id).toList());
        }
        Map<String, Object> set = new LinkedHashMap<>(columns);
        set.put("STATUS", to.name());
        if (reason != null) {
            set.put("REASON", cut(reason, TEXT));
        }
        return update(id, from, set);
    }

    /** Sets columns whatever the status is not: for what does not change it (the branch, the revert's id). */
    void set(long id, Map<String, Object> columns) throws SQLException {
        update(id, null, columns);
    }

    private boolean update(long id, EnhancementStatus from, Map<String, Object> set) throws SQLException {
        String sql = "UPDATE PROP_ENHANCEMENT SET " + String.join(" = ?, ", set.keySet()) + " = ? WHERE ID = ?"
                + (from == null ? "" : " AND STATUS = ?");
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (Object v : set.values()) {
                s.setObject(i++, v instanceof Instant t ? Timestamp.from(t) : v);
            }
            s.setLong(i++, id);
            if (from != null) {
                s.setString(i, from.name());
            }
            return s.executeUpdate() == 1;
        }
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
