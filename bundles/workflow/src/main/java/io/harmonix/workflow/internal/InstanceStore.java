package io.harmonix.workflow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.store.api.Rows;
import io.harmonix.workflow.api.InstanceState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Durable instances: a row per instance (its definition text, input, state, output) and its append-only history.
 * A state change is its history entry and, when the instance's state changes, the instance row, in the same
 * transaction; the {@link HistoryWriter} writes the changes of every instance waiting together in one.
 */
final class InstanceStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** What is stored of an instance. */
    record Row(String id, String source, String definition, Map<String, Object> input, InstanceState state,
            Instant startedAt, Instant endedAt, Map<String, Object> output, String error) {
    }

    /**
     * What keeps a runtime that lost an instance to another from writing its history: the writes of a batch go in
     * only for the instances whose leases {@link #hold} holds in the batch's transaction, and an instance's lease
     * ends in the transaction that records its end.
     */
    interface Fence {
        /** @return those of {@code ids} this runtime holds, held until {@code c}'s transaction ends */
        Set<String> hold(Connection c, Set<String> ids) throws SQLException;

        /** Ends the lease on an instance that has finished, in {@code c}'s transaction. */
        void release(Connection c, String id) throws SQLException;
    }

    /** A step of the transaction that creates an instance (its claim). */
    interface InTransaction {
        void run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private volatile Fence fence;

    InstanceStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Fences the history's writes by the instances' leases from now on. */
    void fence(Fence f) {
        this.fence = f;
    }

    void create(Row r, HistoryEvent first) throws SQLException {
        create(r, first, c -> { });
    }

    /** Creates the instance's row and first history entry with {@code claim}, in one transaction. */
    void create(Row r, HistoryEvent first, InTransaction claim) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO WF_INSTANCE (ID, SOURCE, DEFINITION, INPUT_JSON, "
                    + "STATE, STARTED_AT, UPDATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, r.id());
                s.setString(2, clip(r.source(), 1000));
                s.setString(3, r.definition());
                s.setString(4, json(r.input()));
                s.setString(5, r.state().name());
                s.setTimestamp(6, Timestamp.from(r.startedAt()));
                s.setTimestamp(7, Timestamp.from(Instant.now()));
                s.executeUpdate();
                insert(c, r.id(), first);
                claim.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * A history entry to append; with {@code state} not null, the instance row is updated in the same transaction.
     *
     * @param run the instance to tell once it is durable (see {@link HistoryWriter})
     */
    record Append(InstanceRun run, String id, HistoryEvent event, InstanceState state, Map<String, Object> output,
            String error) implements HistoryWriter.Write {
        @Override
        public long sequence() {
            return event.sequence();
        }
    }

    /** Deletes the entries of one kind of one task but the newest {@code keep}, in the order of the appends. */
    record Forget(InstanceRun run, String id, String task, String kind, int keep) implements HistoryWriter.Write {
        @Override
        public long sequence() {
            return 0;
        }
    }

    /** @return a connection for {@link #write} to keep */
    Connection connect() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    /**
     * Writes appends and deletions of any instances in one transaction on {@code c}, in their order; with a fence,
     * only those of the instances this runtime holds.
     *
     * @return the ids of the instances whose writes the fence kept out
     */
    Set<String> write(Connection c, List<HistoryWriter.Write> batch) throws SQLException {
        Fence f = fence;
        Set<String> held = null;
        if (f != null) {
            Set<String> ids = new java.util.TreeSet<>();
            batch.forEach(w -> ids.add(w.id()));
            held = f.hold(c, ids); // first, in key order: the leases are the first locks the transaction takes
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO WF_HISTORY VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement update = c.prepareStatement("UPDATE WF_INSTANCE SET STATE = ?, OUTPUT_JSON = ?, "
                        + "ERROR = ?, ENDED_AT = ?, UPDATED_AT = ? WHERE ID = ?")) {
            for (HistoryWriter.Write w : batch) {
                if (held != null && !held.contains(w.id())) {
                    continue; // another runtime goes on with this instance: its history is that runtime's now
                }
                if (w instanceof Append a) {
                    insert(insert, a.id(), a.event());
                    if (a.state() != null) {
                        update.setString(1, a.state().name());
                        update.setString(2, a.output() == null ? null : json(a.output()));
                        update.setString(3, clip(a.error(), 2000));
                        update.setTimestamp(4, a.state().finished() ? Timestamp.from(a.event().at()) : null);
                        update.setTimestamp(5, Timestamp.from(Instant.now()));
                        update.setString(6, a.id());
                        update.executeUpdate();
                        if (f != null && a.state().finished()) {
                            f.release(c, a.id());
                        }
                    }
                } else if (w instanceof Forget forget) {
                    Rows.keepNewest(c, "WF_HISTORY", "SEQ", List.of("INSTANCE_ID", "TASK_ID", "KIND"),
                            List.of(forget.id(), forget.task(), forget.kind()), forget.keep());
                }
            }
            c.commit();
            if (held == null) {
                return Set.of();
            }
            Set<String> fenced = new java.util.HashSet<>();
            batch.forEach(w -> fenced.add(w.id()));
            fenced.removeAll(held);
            return fenced;
        } catch (SQLException | RuntimeException x) {
            c.rollback();
            throw x;
        }
    }

    private static void insert(Connection c, String id, HistoryEvent e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO WF_HISTORY VALUES (?, ?, ?, ?, ?, ?)")) {
            insert(s, id, e);
        }
    }

    private static void insert(PreparedStatement s, String id, HistoryEvent e) throws SQLException {
        s.setString(1, id);
        s.setLong(2, e.sequence());
        s.setTimestamp(3, Timestamp.from(e.at()));
        s.setString(4, e.kind());
        s.setString(5, e.task());
        s.setString(6, json(e.data()));
        s.executeUpdate();
    }

    /** @return the instances in a state that is not final (to resume), oldest first */
    List<Row> unfinished() throws SQLException {
        return rows("WHERE STATE IN ('RUNNING', 'PAUSED') ORDER BY STARTED_AT");
    }

    Row row(String id) throws SQLException {
        List<Row> r = rows("WHERE ID = ?", id);
        return r.isEmpty() ? null : r.get(0);
    }

    private List<Row> rows(String where, Object... params) throws SQLException {
        return Rows.list(dataSource, "SELECT ID, SOURCE, DEFINITION, INPUT_JSON, STATE, STARTED_AT, ENDED_AT, "
                + "OUTPUT_JSON, ERROR FROM WF_INSTANCE " + where,
                r -> new Row(r.getString(1), r.getString(2), r.getString(3), map(r.getString(4)),
                        InstanceState.valueOf(r.getString(5)), r.getTimestamp(6).toInstant(),
                        r.getTimestamp(7) == null ? null : r.getTimestamp(7).toInstant(),
                        r.getString(8) == null ? null : map(r.getString(8)), r.getString(9)), params);
    }

    List<HistoryEvent> history(String id) throws SQLException {
        return Rows.list(dataSource, "SELECT SEQ, EVENT_AT, KIND, TASK_ID, DATA FROM WF_HISTORY WHERE INSTANCE_ID = ? "
                + "ORDER BY SEQ", r -> new HistoryEvent(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3),
                        r.getString(4), map(r.getString(5))), id);
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> map(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
