package io.harmonix.store.provider;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.MigrationException;
import io.harmonix.store.api.SchemaMigrator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The {@link SchemaMigrator} of every store, on a DataSource whose database has transactional DDL (Derby and
 * PostgreSQL have): each step in one transaction that first locks the history table, so concurrent callers (two
 * bundles starting together, or two runtimes on one PostgreSQL) are serialized and a failed step rolls back whole.
 *
 * <p>The bundles write their migrations once, in Derby's SQL; a store whose database speaks another dialect gives a
 * {@code dialect} that rewrites each statement before it runs. The checksum that detects a step changed after it was
 * applied is taken of the statements as written, so it is the same on every store.
 */
public class SqlMigrator implements SchemaMigrator {
    /** The table that records the applied steps. */
    public static final String HISTORY = "HARMONIX_SCHEMA_HISTORY";

    private final DataSource dataSource;
    private final UnaryOperator<String> dialect;
    private final Set<String> tableExists;

    /**
     * @param dataSource the store's database
     * @param dialect rewrites a statement written for Derby into the database's SQL ({@code UnaryOperator.identity()}
     *     for Derby itself)
     * @param tableExists the SQLStates with which the database refuses to create a table that exists (Derby:
     *     X0Y32; PostgreSQL: 42P07, and 23505 when two sessions create it at once)
     */
    public SqlMigrator(DataSource dataSource, UnaryOperator<String> dialect, Set<String> tableExists) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.tableExists = Set.copyOf(tableExists);
    }

    @Override
    public List<Integer> migrate(String component, List<Migration> migrations) throws SQLException {
        checkNumbering(component, migrations);
        // Applied now, booting the database if it has not booted: a component whose schema cannot be migrated (a
        // read-only or full database folder, an unreachable server) must fail its activation with that reason, so
        // that its service is absent and says why (RunFaultsIT), instead of starting and failing later. (The
        // embedded Derby store defers them to its boot after a write probe of its folder: see its Migrations.)
        return applyOn(dataSource, component, migrations);
    }

    /** Refuses migrations not numbered 1..n in order. */
    protected static void checkNumbering(String component, List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations of '" + component + "' must be numbered 1.."
                        + migrations.size() + " in order; position " + (i + 1) + " has version "
                        + migrations.get(i).version());
            }
        }
    }

    /**
     * Applies {@code migrations} (numbered 1..n, checked by {@link #migrate}) through connections of {@code db}:
     * the store's DataSource, or the connections a store hands its boot steps.
     *
     * @return the versions applied now
     */
    protected final List<Integer> applyOn(DataSource db, String component, List<Migration> migrations)
            throws SQLException {
        List<Integer> applied = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            ensureHistory(c);
            if (allApplied(c, component, migrations)) {
                return applied;
            }
            c.setAutoCommit(false);
            for (Migration m : migrations) {
                if (apply(c, component, m)) {
                    applied.add(m.version());
                }
            }
        }
        return applied;
    }

    /**
     * Whether every step is recorded already with its checksum, read in one query without the history's lock: what
     * every start but the first finds (and a fresh Derby folder made from the distribution's template), so that it
     * costs one read instead of a locked transaction per step. Rows of the history are only ever added, so a step
     * seen applied stays applied; anything else (a step missing, a checksum that differs) takes the locked path,
     * which applies the missing steps and refuses a changed one.
     */
    private boolean allApplied(Connection c, String component, List<Migration> migrations) throws SQLException {
        java.util.Map<Integer, String> recorded = new java.util.HashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT VERSION, CHECKSUM FROM " + HISTORY + " WHERE COMPONENT = ?")) {
            q.setString(1, component);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    recorded.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        for (Migration m : migrations) {
            if (!checksum(m).equals(recorded.get(m.version()))) {
                return false;
            }
        }
        return true;
    }

    /** @return true when applied now, false when it had been applied before */
    private boolean apply(Connection c, String component, Migration m) throws SQLException {
        String checksum = checksum(m);
        try (Statement lock = c.createStatement()) {
            lock.execute("LOCK TABLE " + HISTORY + " IN EXCLUSIVE MODE");
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT CHECKSUM FROM " + HISTORY + " WHERE COMPONENT = ? AND VERSION = ?")) {
                q.setString(1, component);
                q.setInt(2, m.version());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        String recorded = rs.getString(1);
                        c.rollback(); // releases the lock
                        if (!recorded.equals(checksum)) {
                            throw new MigrationException("schema migration " + component + " v" + m.version()
                                    + " ('" + m.description() + "') was changed after it was applied: give the "
                                    + "change a new version instead", null);
                        }
                        return false;
                    }
                }
            }
            for (int i = 0; i < m.statements().size(); i++) {
                String sql = dialect.apply(m.statements().get(i));
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                } catch (SQLException e) {
                    c.rollback();
                    throw new MigrationException("schema migration " + component + " v" + m.version() + " ('"
                            + m.description() + "') failed at statement " + (i + 1) + " of " + m.statements().size()
                            + " [" + sql + "]: " + e.getMessage() + "; the database is as it was before this step",
                            e);
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + HISTORY
                    + " (COMPONENT, VERSION, DESCRIPTION, CHECKSUM, APPLIED_AT) VALUES (?, ?, ?, ?, ?)")) {
                ins.setString(1, component);
                ins.setInt(2, m.version());
                ins.setString(3, m.description());
                ins.setString(4, checksum);
                ins.setTimestamp(5, new Timestamp(System.currentTimeMillis()));
                ins.executeUpdate();
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private void ensureHistory(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(dialect.apply("CREATE TABLE " + HISTORY + " (COMPONENT VARCHAR(64) NOT NULL, VERSION INT NOT "
                    + "NULL, DESCRIPTION VARCHAR(256) NOT NULL, CHECKSUM CHAR(64) NOT NULL, APPLIED_AT TIMESTAMP NOT "
                    + "NULL, PRIMARY KEY (COMPONENT, VERSION))"));
        } catch (SQLException e) {
            if (!tableExists.contains(e.getSQLState())) {
                throw e;
            }
        }
    }

    @Override
    public List<AppliedMigration> history() throws SQLException {
        List<AppliedMigration> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            ensureHistory(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COMPONENT, VERSION, "
                    + "DESCRIPTION, CHECKSUM, APPLIED_AT FROM " + HISTORY + " ORDER BY APPLIED_AT, COMPONENT, VERSION")) {
                while (rs.next()) {
                    out.add(new AppliedMigration(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant().toString()));
                }
            }
        }
        return out;
    }

    /** The SHA-256 of a step's statements as written (before any dialect's rewriting), in hex. */
    public static String checksum(Migration m) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String s : m.statements()) {
                sha.update(s.trim().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
