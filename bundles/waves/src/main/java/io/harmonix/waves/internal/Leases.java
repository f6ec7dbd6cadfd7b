package io.harmonix.waves.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import io.harmonix.store.api.Rows;
import javax.sql.DataSource;

/**
 * Component ownership: a lease row per (target, component) with an expiry. Whoever inserts the row owns the
 * component; a second claim hits the primary key and fails, so two instances never own one component, however
 * their claims interleave. An expired lease (its instance crashed or its wave was never ended) is taken over by
 * deleting it and inserting anew: two takers race on the insert, and the key again lets one win.
 */
final class Leases {
    /** Derby's SQL state of a duplicate key. */
    private static final String DUPLICATE = "23505";

    /** One lease. */
    record Lease(String target, String component, String agentId, String waveId, Instant expiresAt) {
    }

    private final DataSource db;

    Leases(DataSource db) {
        this.db = db;
    }

    /**
     * Claims a component for an agent instance until {@code now + ttl}.
     *
     * @return true when the instance owns it now (a fresh lease, its own lease renewed, or an expired one taken
     *     over); false when another instance holds a lease that has not expired
     */
    boolean claim(String target, String component, String agentId, String waveId, Instant now, Duration ttl)
            throws SQLException {
        String key = key(target, component);
        Timestamp expires = Timestamp.from(now.plus(ttl));
        try (Connection c = db.getConnection()) {
            if (insert(c, key, target, component, agentId, waveId, expires)) {
                return true;
            }
            try (PreparedStatement own = c.prepareStatement("UPDATE WAVE_LEASE SET EXPIRES_AT = ? "
                    + "WHERE LEASE_KEY = ? AND AGENT_ID = ?")) {
                own.setTimestamp(1, expires);
                own.setString(2, key);
                own.setString(3, agentId);
                if (own.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement expired = c.prepareStatement("DELETE FROM WAVE_LEASE WHERE LEASE_KEY = ? "
                    + "AND EXPIRES_AT <= ?")) {
                expired.setString(1, key);
                expired.setTimestamp(2, Timestamp.from(now));
                if (expired.executeUpdate() == 0) {
                    return false;
                }
            }
            return insert(c, key, target, component, agentId, waveId, expires);
        }
    }

    private static boolean insert(Connection c, String key, String target, String component, String agentId,
            String waveId, Timestamp expires) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO WAVE_LEASE (LEASE_KEY, TARGET, COMPONENT, "
                + "AGENT_ID, WAVE_ID, EXPIRES_AT) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, key);
            s.setString(2, target);
            s.setString(3, component);
            s.setString(4, agentId);
            s.setString(5, waveId);
            s.setTimestamp(6, expires);
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (DUPLICATE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Extends every lease of an instance to {@code now + ttl}. @return how many it holds */
    int renew(String agentId, Instant now, Duration ttl) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE WAVE_LEASE SET EXPIRES_AT = ? WHERE AGENT_ID = ?")) {
            s.setTimestamp(1, Timestamp.from(now.plus(ttl)));
            s.setString(2, agentId);
            return s.executeUpdate();
        }
    }

    /** Releases every lease of a wave. @return how many */
    int releaseWave(String waveId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM WAVE_LEASE WHERE WAVE_ID = ?")) {
            s.setString(1, waveId);
            return s.executeUpdate();
        }
    }

    /** @return the lease on a component, expired or not */
    Optional<Lease> of(String target, String component) throws SQLException {
        return Rows.list(db, "SELECT TARGET, COMPONENT, AGENT_ID, WAVE_ID, EXPIRES_AT "
                + "FROM WAVE_LEASE WHERE LEASE_KEY = ?", Leases::read, key(target, component)).stream().findFirst();
    }

    /** @return every lease on a target, by component */
    List<Lease> onTarget(String target) throws SQLException {
        return Rows.list(db, "SELECT TARGET, COMPONENT, AGENT_ID, WAVE_ID, EXPIRES_AT "
                + "FROM WAVE_LEASE WHERE TARGET = ? ORDER BY COMPONENT", Leases::read, target);
    }

    /** @return the leases an instance holds */
    List<Lease> held(String agentId) throws SQLException {
        return Rows.list(db, "SELECT TARGET, COMPONENT, AGENT_ID, WAVE_ID, EXPIRES_AT "
                + "FROM WAVE_LEASE WHERE AGENT_ID = ? ORDER BY COMPONENT", Leases::read, agentId);
    }

    private static Lease read(java.sql.ResultSet r) throws SQLException {
        return new Lease(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                r.getTimestamp(5).toInstant());
    }

    static String key(String target, String component) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((target + "\n" + component).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
