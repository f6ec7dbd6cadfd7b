package io.harmonix.propagator.internal;

import io.harmonix.propagator.api.DeadLetter;
import io.harmonix.propagator.api.DeliveryAttempt;
import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the propagator keeps in the shared database: a cursor per endpoint and namespace (moved in the same
 * transaction as the attempt that delivered or dead-lettered), the attempts, the dead letters, redeliveries asked
 * for, whether an endpoint is paused or disabled, and the webhook ids the ingest endpoint has seen.
 */
final class DeliveryStore {
    static final String COMPONENT = "propagator";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1,
            "propagation cursors, attempts, dead letters, redeliveries, endpoint flags, seen ingest ids",
            "CREATE TABLE PROPAGATION_CURSOR (ENDPOINT_ID VARCHAR(64) NOT NULL, NAMESPACE VARCHAR(64) NOT NULL, "
                    + "NEXT_SEQUENCE BIGINT NOT NULL, DELIVERED BIGINT NOT NULL, UPDATED_AT TIMESTAMP NOT NULL, "
                    + "PRIMARY KEY (ENDPOINT_ID, NAMESPACE))",
            "CREATE TABLE PROPAGATION_ATTEMPT (ATTEMPT_ID BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "ENDPOINT_ID VARCHAR(64) NOT NULL, NAMESPACE VARCHAR(64), SEQUENCE_NO BIGINT NOT NULL, "
                    + "CYCLE_ID VARCHAR(130), WEBHOOK_ID VARCHAR(64) NOT NULL, ATTEMPT INT NOT NULL, "
                    + "ATTEMPTED_AT TIMESTAMP NOT NULL, STATUS INT NOT NULL, LATENCY_MS BIGINT NOT NULL, "
                    + "OUTCOME VARCHAR(16) NOT NULL, ERROR VARCHAR(1000))",
            "CREATE INDEX PROPAGATION_ATTEMPT_BY_ENDPOINT ON PROPAGATION_ATTEMPT (ENDPOINT_ID, ATTEMPT_ID)",
            "CREATE TABLE PROPAGATION_DEAD (ENDPOINT_ID VARCHAR(64) NOT NULL, NAMESPACE VARCHAR(64) NOT NULL, "
                    + "SEQUENCE_NO BIGINT NOT NULL, CYCLE_ID VARCHAR(130) NOT NULL, ATTEMPTS INT NOT NULL, "
                    + "LAST_STATUS INT NOT NULL, REASON VARCHAR(1000), DEAD_AT TIMESTAMP NOT NULL, "
                    + "PRIMARY KEY (ENDPOINT_ID, NAMESPACE, SEQUENCE_NO))",
            "CREATE TABLE PROPAGATION_REDELIVERY (ENDPOINT_ID VARCHAR(64) NOT NULL, NAMESPACE VARCHAR(64) NOT NULL, "
                    + "SEQUENCE_NO BIGINT NOT NULL, REQUESTED_AT TIMESTAMP NOT NULL, "
                    + "PRIMARY KEY (ENDPOINT_ID, NAMESPACE, SEQUENCE_NO))",
            "CREATE TABLE PROPAGATION_ENDPOINT (ENDPOINT_ID VARCHAR(64) NOT NULL PRIMARY KEY, PAUSED SMALLINT NOT NULL, "
                    + "DISABLED_REASON VARCHAR(1000), UPDATED_AT TIMESTAMP NOT NULL)",
            "CREATE TABLE INGEST_SEEN (WEBHOOK_ID VARCHAR(64) NOT NULL PRIMARY KEY, PEER_ID VARCHAR(64) NOT NULL, "
                    + "CYCLE_ID VARCHAR(130), SEEN_AT TIMESTAMP NOT NULL)"));
    private static final String DUPLICATE_KEY = "23505";

    /**
     * Held around each write of an attempt, one at a time in the runtime: its id comes from an identity column, and
     * Derby fails an INSERT at once with 40XL1 when it allocates the column's range (after each boot, then every 100
     * rows) while another connection inserts too (docs/architecture.md; DeliveryStoreConcurrencyTest).
     */
    private static final Object ATTEMPTS = new Object();

    private final DataSource dataSource;

    DeliveryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Cursor of one namespace: the next sequence to deliver, and how many were delivered. */
    record Cursor(long next, long delivered) {
    }

    /** A redelivery asked for by propagate:redeliver. */
    record Redelivery(String namespace, long sequence) {
    }

    /** Whether an endpoint is paused, and why it was disabled (null: it is not). */
    record Flags(boolean paused, String disabledReason) {
        static final Flags NONE = new Flags(false, null);
    }

    Map<String, Cursor> cursors(String endpoint) throws SQLException {
        Map<String, Cursor> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT NAMESPACE, NEXT_SEQUENCE, DELIVERED FROM "
                        + "PROPAGATION_CURSOR WHERE ENDPOINT_ID = ? ORDER BY NAMESPACE")) {
            s.setString(1, endpoint);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new Cursor(r.getLong(2), r.getLong(3)));
                }
            }
        }
        return out;
    }

    /**
     * Records an attempt; when {@code moveTo >= 0} moves the cursor there in the same transaction (adding
     * {@code delivered}), and when {@code dead} is given puts the cycle on the dead-letter list too.
     */
    void record(DeliveryAttempt a, long moveTo, int delivered, DeadLetter dead, Redelivery done) throws SQLException {
        synchronized (ATTEMPTS) {
            recordLocked(a, moveTo, delivered, dead, done);
        }
    }

    private void recordLocked(DeliveryAttempt a, long moveTo, int delivered, DeadLetter dead, Redelivery done)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertAttempt(c, a);
                if (moveTo >= 0) {
                    moveCursor(c, a.endpoint(), a.namespace(), moveTo, delivered);
                }
                if (dead != null) {
                    try (PreparedStatement s = bound(c, "INSERT INTO PROPAGATION_DEAD VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            dead.endpoint(), dead.namespace(), dead.sequence(), dead.cycleId(), dead.attempts(),
                            dead.lastStatus(), clip(dead.reason()), Timestamp.from(dead.at()))) {
                        insertUnlessPresent(s); // dead-lettered already
                    }
                }
                if (done != null) {
                    delete(c, "PROPAGATION_REDELIVERY", a.endpoint(), done);
                    if (dead == null) {
                        delete(c, "PROPAGATION_DEAD", a.endpoint(), done);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Records the attempts that delivered cycles of one endpoint, in one transaction, and moves the endpoint's
     * cursor of each namespace past the last of them (a group of {@link DeliveryRecorder}).
     */
    void recordDelivered(List<DeliveryAttempt> attempts) throws SQLException {
        Map<String, long[]> moves = new LinkedHashMap<>(); // namespace -> next sequence, delivered
        for (DeliveryAttempt a : attempts) {
            long[] m = moves.computeIfAbsent(a.namespace(), ns -> new long[2]);
            m[0] = Math.max(m[0], a.sequence() + 1);
            m[1]++;
        }
        synchronized (ATTEMPTS) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    for (DeliveryAttempt a : attempts) {
                        insertAttempt(c, a);
                    }
                    String endpoint = attempts.get(0).endpoint();
                    for (var m : moves.entrySet()) {
                        moveCursor(c, endpoint, m.getKey(), m.getValue()[0], (int) m.getValue()[1]);
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
    }

    /** Moves a cursor over cycles the endpoint does not want (no attempt made). */
    void skip(String endpoint, String namespace, long moveTo) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            moveCursor(c, endpoint, namespace, moveTo, 0);
        }
    }

    private static void moveCursor(Connection c, String endpoint, String namespace, long next, int delivered)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement u = bound(c, "UPDATE PROPAGATION_CURSOR SET NEXT_SEQUENCE = ?, DELIVERED = DELIVERED "
                + "+ ?, UPDATED_AT = ? WHERE ENDPOINT_ID = ? AND NAMESPACE = ? AND NEXT_SEQUENCE <= ?", next, delivered,
                now, endpoint, namespace, next)) {
            if (u.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement i = bound(c, "INSERT INTO PROPAGATION_CURSOR VALUES (?, ?, ?, ?, ?)", endpoint,
                namespace, next, (long) delivered, now)) {
            insertUnlessPresent(i); // a row there is further on: this was a redelivery behind it
        }
    }

    private static void insertAttempt(Connection c, DeliveryAttempt a) throws SQLException {
        try (PreparedStatement s = bound(c, "INSERT INTO PROPAGATION_ATTEMPT (ENDPOINT_ID, NAMESPACE, SEQUENCE_NO, "
                + "CYCLE_ID, WEBHOOK_ID, ATTEMPT, ATTEMPTED_AT, STATUS, LATENCY_MS, OUTCOME, ERROR) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a.endpoint(), a.namespace(), a.sequence(), a.cycleId(), a.webhookId(), a.attempt(),
                Timestamp.from(a.at()), a.status(), a.latencyMillis(), a.outcome().name(), clip(a.error()))) {
            s.executeUpdate();
        }
    }

    void recordAttempt(DeliveryAttempt a) throws SQLException {
        synchronized (ATTEMPTS) {
            try (Connection c = dataSource.getConnection()) {
                insertAttempt(c, a);
            }
        }
    }

    List<DeliveryAttempt> attempts(String endpoint, int limit) throws SQLException {
        return Rows.list(dataSource, "SELECT ENDPOINT_ID, NAMESPACE, SEQUENCE_NO, CYCLE_ID, WEBHOOK_ID, ATTEMPT, "
                + "ATTEMPTED_AT, STATUS, LATENCY_MS, OUTCOME, ERROR FROM PROPAGATION_ATTEMPT WHERE ENDPOINT_ID = ? "
                + "ORDER BY ATTEMPT_ID DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                r -> new DeliveryAttempt(r.getString(1), r.getString(2), r.getLong(3), r.getString(4),
                        r.getString(5), r.getInt(6), r.getTimestamp(7).toInstant(), r.getInt(8), r.getLong(9),
                        DeliveryAttempt.Outcome.valueOf(r.getString(10)), r.getString(11)), endpoint);
    }

    /** Deletes an endpoint's attempts beyond the newest {@code keep}. */
    int pruneAttempts(String endpoint, int keep) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Rows.keepNewest(c, "PROPAGATION_ATTEMPT", "ATTEMPT_ID", List.of("ENDPOINT_ID"), List.of(endpoint),
                    keep);
        }
    }

    List<DeadLetter> deadLetters(String endpoint) throws SQLException {
        return Rows.list(dataSource, "SELECT ENDPOINT_ID, NAMESPACE, SEQUENCE_NO, CYCLE_ID, ATTEMPTS, LAST_STATUS, "
                + "REASON, DEAD_AT FROM PROPAGATION_DEAD" + (endpoint == null ? "" : " WHERE ENDPOINT_ID = ?")
                + " ORDER BY ENDPOINT_ID, NAMESPACE, SEQUENCE_NO",
                r -> new DeadLetter(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getInt(5),
                        r.getInt(6), r.getString(7), r.getTimestamp(8).toInstant()),
                endpoint == null ? new Object[0] : new Object[] {endpoint});
    }

    void requestRedelivery(String endpoint, Redelivery r) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO PROPAGATION_REDELIVERY VALUES (?, ?, ?, ?)")) {
            s.setString(1, endpoint);
            s.setString(2, r.namespace());
            s.setLong(3, r.sequence());
            s.setTimestamp(4, Timestamp.from(Instant.now()));
            insertUnlessPresent(s); // already asked for
        }
    }

    List<Redelivery> redeliveries(String endpoint) throws SQLException {
        return Rows.list(dataSource, "SELECT NAMESPACE, SEQUENCE_NO FROM PROPAGATION_REDELIVERY WHERE ENDPOINT_ID = ? "
                + "ORDER BY NAMESPACE, SEQUENCE_NO", r -> new Redelivery(r.getString(1), r.getLong(2)), endpoint);
    }

    void dropRedelivery(String endpoint, Redelivery r) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            delete(c, "PROPAGATION_REDELIVERY", endpoint, r);
        }
    }

    private static void delete(Connection c, String table, String endpoint, Redelivery r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE ENDPOINT_ID = ? AND "
                + "NAMESPACE = ? AND SEQUENCE_NO = ?")) {
            s.setString(1, endpoint);
            s.setString(2, r.namespace());
            s.setLong(3, r.sequence());
            s.executeUpdate();
        }
    }

    Flags flags(String endpoint) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT PAUSED, DISABLED_REASON FROM PROPAGATION_ENDPOINT "
                        + "WHERE ENDPOINT_ID = ?")) {
            s.setString(1, endpoint);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Flags(r.getInt(1) != 0, r.getString(2)) : Flags.NONE;
            }
        }
    }

    void setFlags(String endpoint, Flags flags) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Timestamp now = Timestamp.from(Instant.now());
            int paused = flags.paused() ? 1 : 0;
            String reason = clip(flags.disabledReason());
            try (PreparedStatement u = bound(c, "UPDATE PROPAGATION_ENDPOINT SET PAUSED = ?, DISABLED_REASON = ?, "
                    + "UPDATED_AT = ? WHERE ENDPOINT_ID = ?", paused, reason, now, endpoint)) {
                if (u.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement i = bound(c, "INSERT INTO PROPAGATION_ENDPOINT VALUES (?, ?, ?, ?)", endpoint,
                    paused, reason, now)) {
                i.executeUpdate();
            }
        }
    }

    /** @return true when the ingest endpoint has accepted this webhook id before */
    boolean seen(String webhookId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM INGEST_SEEN WHERE WEBHOOK_ID = ?")) {
            s.setString(1, webhookId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    void markSeen(String webhookId, String peer, String cycleId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO INGEST_SEEN VALUES (?, ?, ?, ?)")) {
            s.setString(1, webhookId);
            s.setString(2, peer);
            s.setString(3, cycleId);
            s.setTimestamp(4, Timestamp.from(Instant.now()));
            insertUnlessPresent(s); // seen already: the first sighting stays
        }
    }

    /** Forgets seen ids older than {@code before}: older requests fail the timestamp check anyway. */
    int forgetSeen(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM INGEST_SEEN WHERE SEEN_AT < ?")) {
            s.setTimestamp(1, Timestamp.from(before));
            return s.executeUpdate();
        }
    }

    /**
     * Runs an INSERT whose row may be there already, and leaves that row as it is: for each of this store's
     * inserts that may meet its row again, the row there is as good as the new one.
     */
    /**
     * @return the statement prepared on {@code c}, {@code values} bound to its {@code ?}s in order: the inserts
     *     and the upserts (update, and insert where the update found no row) bind their values alike
     */
    private static PreparedStatement bound(Connection c, String sql, Object... values) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    s.setNull(i + 1, Types.VARCHAR); // only the texts here may be null
                } else {
                    s.setObject(i + 1, values[i]);
                }
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Inserts a row unless it is there (a duplicate key). PostgreSQL ends a transaction at its first failed statement
     * unless it is rolled back to a savepoint: inside a transaction there (a recording's cursor behind a redelivery,
     * a cycle dead-lettered again), the insert gets a savepoint of its own, so that the attempt and the rest of the
     * transaction are kept as on Derby, which fails the statement alone (and pays for no savepoint).
     */
    private static void insertUnlessPresent(PreparedStatement insert) throws SQLException {
        Connection c = insert.getConnection();
        Savepoint before = failedStatementEndsTransaction(c) ? c.setSavepoint() : null;
        try {
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
            if (before != null) {
                c.rollback(before);
            }
            return;
        }
        if (before != null) {
            c.releaseSavepoint(before);
        }
    }

    /** Whether {@code c} is in a transaction that its database ends at a failed statement (PostgreSQL's do). */
    private static boolean failedStatementEndsTransaction(Connection c) throws SQLException {
        return !c.getAutoCommit() && c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    }

    private static String clip(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }
}
