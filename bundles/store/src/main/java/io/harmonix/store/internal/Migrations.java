package io.harmonix.store.internal;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.MigrationException;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
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
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link SchemaMigrator} on any DataSource whose database has transactional DDL (Derby has): each step in one
 * transaction that first locks the history table, so concurrent callers are serialized and a failed step rolls
 * back whole. Published by DS for the Derby DataSource ({@code harmonix.store=derby}); its configuration
 * (PID {@value #PID}) may point {@code dataSource.target} (and its own {@code harmonix.store}) elsewhere.
 */
@Component(service = SchemaMigrator.class, configurationPid = Migrations.PID,
        property = StoreProperties.STORE + "=" + StoreProperties.DERBY)
public final class Migrations implements SchemaMigrator {
    static final String PID = "io.harmonix.store.migrator";
    static final String HISTORY = "HARMONIX_SCHEMA_HISTORY";
    private static final String TABLE_EXISTS = "X0Y32";

    private final DataSource dataSource;

    @Activate
    public Migrations(@Reference(name = "dataSource", target = StoreProperties.DERBY_TARGET) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<Integer> migrate(String component, List<Migration> migrations) throws SQLException {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations of '" + component + "' must be numbered 1.."
                        + migrations.size() + " in order; position " + (i + 1) + " has version "
                        + migrations.get(i).version());
            }
        }
        // The store's own database, not booted yet: the migrations run at its boot, before its first connection is
        // handed out (a start whose commands never touch the database does not boot, nor on a fresh data folder
        // create, it for them). A database folder that cannot be written (read-only, full) is refused here and
        // now, so that a component whose schema could not be migrated still fails its activation with that
        // reason (RunFaultsIT) instead of starting and failing later.
        if (dataSource instanceof DerbyDataSource derby && derby.deferUntilBoot(booting -> {
            List<Integer> applied = apply(booting, component, migrations);
            return applied.isEmpty() ? null : "schema of " + component + " migrated when the database booted: "
                    + "versions " + applied;
        })) {
            return List.of();
        }
        return apply(dataSource, component, migrations);
    }

    private static List<Integer> apply(DataSource dataSource, String component, List<Migration> migrations)
            throws SQLException {
        List<Integer> applied = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            ensureHistory(c);
            c.setAutoCommit(false);
            for (Migration m : migrations) {
                if (apply(c, component, m)) {
                    applied.add(m.version());
                }
            }
        }
        return applied;
    }

    /** @return true when applied now, false when it had been applied before */
    private static boolean apply(Connection c, String component, Migration m) throws SQLException {
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
                String sql = m.statements().get(i);
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

    private static void ensureHistory(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + HISTORY + " (COMPONENT VARCHAR(64) NOT NULL, VERSION INT NOT NULL, "
                    + "DESCRIPTION VARCHAR(256) NOT NULL, CHECKSUM CHAR(64) NOT NULL, APPLIED_AT TIMESTAMP NOT NULL, "
                    + "PRIMARY KEY (COMPONENT, VERSION))");
        } catch (SQLException e) {
            if (!TABLE_EXISTS.equals(e.getSQLState())) {
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

    static String checksum(Migration m) {
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
