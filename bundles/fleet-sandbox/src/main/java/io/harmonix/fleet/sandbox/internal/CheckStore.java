package io.harmonix.fleet.sandbox.internal;

import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Isolation;
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
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The check records in the runtime's database, table {@code FLEET_CHECK} (schema component {@value #COMPONENT},
 * applied through the store's migrator). A check is inserted when it starts (its id, from an identity column, is
 * then known and names its worktree) and completed when it ends; a row still open at activation belongs to a run
 * the runtime stopped in the middle of, and is closed with that as its error. Logs and commands are CLOBs.
 */
final class CheckStore implements CheckHistory {
    static final String COMPONENT = "fleet-sandbox";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "check records of the sandboxed executor",
            "CREATE TABLE FLEET_CHECK (ID BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1) PRIMARY KEY, "
                    + "REPOSITORY VARCHAR(200) NOT NULL, SOURCE VARCHAR(4000) NOT NULL, COMMIT_SHA VARCHAR(64), "
                    + "KIND VARCHAR(64) NOT NULL, COMMAND CLOB NOT NULL, STARTED_AT TIMESTAMP NOT NULL, "
                    + "DURATION_MS BIGINT, EXIT_CODE INTEGER, TIMED_OUT BOOLEAN NOT NULL DEFAULT FALSE, "
                    + "ISOLATION_APPLIED VARCHAR(16) NOT NULL, LIMITS VARCHAR(1000), LOG CLOB, "
                    + "LOG_TRUNCATED BOOLEAN NOT NULL DEFAULT FALSE, ERROR VARCHAR(4000), "
                    + "FINISHED BOOLEAN NOT NULL DEFAULT FALSE)",
            "CREATE INDEX FLEET_CHECK_BY_COMMIT ON FLEET_CHECK (REPOSITORY, COMMIT_SHA)"),
            // several runtimes on one database: a runtime's start closes only its own open records, and the open
            // records of a runtime that died are closed by the others (SandboxComponent)
            Migration.of(2, "the node of each check", "ALTER TABLE FLEET_CHECK ADD COLUMN NODE_ID VARCHAR(200)"));
    private static final String COLUMNS = "ID, REPOSITORY, COMMIT_SHA, KIND, COMMAND, STARTED_AT, DURATION_MS, "
            + "EXIT_CODE, TIMED_OUT, ISOLATION_APPLIED, LOG, LOG_TRUNCATED, ERROR, LIMITS";

    /**
     * Held around each INSERT, one at a time in the runtime. The ids come from an identity column, which Derby hands
     * out of a range it allocates in SYS.SYSSEQUENCES (a fresh range after each boot, then every 100 rows); when
     * that allocation meets another connection's INSERT into the table (compiling one reads the same row), Derby
     * does not wait: it fails the INSERT at once with 40XL1, "A lock could not be obtained within the time
     * requested". It happened when the tasks of a fleet build resumed after a crash started their checks together
     * (CheckStoreConcurrencyTest). Static: a component made again on the same database shares it with the old one.
     */
    private static final Object INSERTS = new Object();

    private final DataSource dataSource;
    /** The node of this runtime in a cluster, kept with each record it starts; null: a runtime on its own. */
    private final String node;

    CheckStore(DataSource dataSource) {
        this(dataSource, null);
    }

    CheckStore(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    /** A step on the database that may fail. */
    interface Step {
        void run() throws SQLException;
    }

    /** Run once before this store's first statement (see {@link #atFirstUse}); null when done or none. */
    private volatile Step firstUse;

    /**
     * Has {@code step} run before this store's first statement, on the thread of that statement, instead of now:
     * exec mode closes the records a stopped runtime left open so (a command that runs no check and reads none does
     * not boot the database for it).
     */
    void atFirstUse(Step step) {
        firstUse = step;
    }

    private void ready() {
        if (firstUse == null) {
            return;
        }
        synchronized (this) {
            Step step = firstUse;
            firstUse = null;
            if (step != null) {
                try {
                    step.run();
                } catch (SQLException e) {
                    throw new IllegalStateException("check records: " + e.getMessage(), e);
                }
            }
        }
    }

    /** @return the id of the new, unfinished record */
    long start(String repository, String source, String kind, String command, Instant startedAt,
            Isolation isolation) {
        ready();
        synchronized (INSERTS) {
            return insert(repository, source, kind, command, startedAt, isolation);
        }
    }

    private long insert(String repository, String source, String kind, String command, Instant startedAt,
            Isolation isolation) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO "
                + "FLEET_CHECK (REPOSITORY, SOURCE, KIND, COMMAND, STARTED_AT, ISOLATION_APPLIED, NODE_ID) VALUES (?, ?, "
                + "?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, cut(repository, 200));
            s.setString(2, cut(source, 4000));
            s.setString(3, cut(kind, 64));
            s.setString(4, command);
            s.setTimestamp(5, Timestamp.from(startedAt));
            s.setString(6, isolation.name());
            s.setString(7, node);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the check of " + repository + " could not be recorded: "
                    + e.getMessage(), e);
        }
    }

    /** Completes record {@code id} with how the run ended, and returns it as stored. */
    CheckRecord finish(long id, String commit, Duration duration, Integer exitCode, boolean timedOut,
            String limits, String log, boolean logTruncated, String error) {
        ready();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE FLEET_CHECK "
                + "SET COMMIT_SHA = ?, DURATION_MS = ?, EXIT_CODE = ?, TIMED_OUT = ?, LIMITS = ?, LOG = ?, "
                + "LOG_TRUNCATED = ?, ERROR = ?, FINISHED = TRUE WHERE ID = ?")) {
            s.setString(1, commit);
            s.setLong(2, duration.toMillis());
            if (exitCode == null) {
                s.setNull(3, Types.INTEGER);
            } else {
                s.setInt(3, exitCode);
            }
            s.setBoolean(4, timedOut);
            s.setString(5, cut(limits, 1000));
            s.setString(6, log);
            s.setBoolean(7, logTruncated);
            s.setString(8, cut(error, 4000));
            s.setLong(9, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("check " + id + " could not be recorded: " + e.getMessage(), e);
        }
        return check(id).orElseThrow();
    }

    /**
     * Closes the records this runtime left open when it stopped (in a cluster, its node's and those of no node: the
     * other runtimes' are theirs); @return how many
     */
    int closeUnfinished(String why) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE FLEET_CHECK "
                + "SET ERROR = ?, FINISHED = TRUE WHERE FINISHED = FALSE" + (node == null ? ""
                        : " AND (NODE_ID IS NULL OR NODE_ID = ?)"))) {
            s.setString(1, why);
            if (node != null) {
                s.setString(2, node);
            }
            return s.executeUpdate();
        }
    }

    /**
     * Closes the open records of the nodes not in {@code alive} (runtimes of the cluster that died while they ran
     * them: nothing else will); @return how many
     */
    int closeOfOtherNodes(String why, java.util.Collection<String> alive) throws SQLException {
        ready();
        List<String> ids = List.copyOf(alive);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE FLEET_CHECK "
                + "SET ERROR = ?, FINISHED = TRUE WHERE FINISHED = FALSE AND NODE_ID IS NOT NULL" + (ids.isEmpty() ? ""
                        : " AND NODE_ID NOT IN (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?"))
                                + ")"))) {
            s.setString(1, why);
            for (int i = 0; i < ids.size(); i++) {
                s.setString(i + 2, ids.get(i));
            }
            return s.executeUpdate();
        }
    }

    /** @return what was limited for record {@code id} (memory, processes), or why not; empty when unknown */
    Optional<String> limits(long id) {
        return query("SELECT LIMITS FROM FLEET_CHECK WHERE ID = ?", r -> r.getString(1), id).stream().findFirst();
    }

    @Override
    public Optional<CheckRecord> check(long id) {
        return query("SELECT " + COLUMNS + " FROM FLEET_CHECK WHERE ID = ?", CheckStore::read, id).stream()
                .findFirst();
    }

    @Override
    public List<CheckRecord> checks(String repository, int limit) {
        String where = repository == null ? "" : " WHERE REPOSITORY = ?";
        Object[] values = repository == null ? new Object[0] : new Object[] {repository};
        return query("SELECT " + COLUMNS + " FROM FLEET_CHECK" + where + " ORDER BY ID DESC FETCH FIRST "
                + Math.max(1, limit) + " ROWS ONLY", CheckStore::read, values);
    }

    @Override
    public List<CheckRecord> checksOf(String repository, String commit) {
        return query("SELECT " + COLUMNS + " FROM FLEET_CHECK WHERE REPOSITORY = ? AND COMMIT_SHA = ? ORDER BY ID",
                CheckStore::read, repository, commit);
    }

    private <T> List<T> query(String sql, Rows.Reader<T> reader, Object... values) {
        ready();
        try {
            return Rows.list(dataSource, sql, reader, values);
        } catch (SQLException e) {
            throw new IllegalStateException("check records could not be read: " + e.getMessage(), e);
        }
    }

    private static CheckRecord read(ResultSet r) throws SQLException {
        long millis = r.getLong("DURATION_MS");
        Duration duration = r.wasNull() ? null : Duration.ofMillis(millis);
        int exit = r.getInt("EXIT_CODE");
        Integer exitCode = r.wasNull() ? null : exit;
        return new CheckRecord(r.getLong("ID"), r.getString("REPOSITORY"), r.getString("COMMIT_SHA"),
                r.getString("KIND"), r.getString("COMMAND"), r.getTimestamp("STARTED_AT").toInstant(), duration,
                exitCode, r.getBoolean("TIMED_OUT"), Isolation.valueOf(r.getString("ISOLATION_APPLIED")), r.getString("LOG"),
                r.getBoolean("LOG_TRUNCATED"), r.getString("ERROR"));
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
