package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The change requests in the runtime's database (schema component {@value #COMPONENT}): a request, its items (what
 * each one applies) and the result of each required check of its last verification. The columns past the API's
 * record are SHIP's own: the base the candidate was verified on, the run that re-verified it, and the ship under way
 * (decision, commit, expected main) written before main moves so that a restart finishes or abandons it.
 */
final class ChangeStore {
    static final String COMPONENT = "autonomy-changes";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "change requests, their items and checks",
            "CREATE TABLE AUT_CHANGE (ID BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, REPO VARCHAR(200) NOT NULL, "
                    + "BRANCH VARCHAR(300) NOT NULL, GROUP_KEY VARCHAR(200), KIND VARCHAR(32) NOT NULL, "
                    + "TITLE VARCHAR(1000) NOT NULL, RISK VARCHAR(16) NOT NULL, STATE VARCHAR(24) NOT NULL, "
                    + "BASE_COMMIT CHAR(40) NOT NULL, HEAD_COMMIT CHAR(40) NOT NULL, VERIFIED_COMMIT CHAR(40), "
                    + "VERIFIED_BASE CHAR(40), CHECK_IDS VARCHAR(2000) NOT NULL, DECISION_IDS VARCHAR(8000) NOT NULL, "
                    + "APPROVED_BY VARCHAR(200), APPROVAL_REASON VARCHAR(2000), RUN_ID VARCHAR(100), "
                    + "CREATED_AT TIMESTAMP NOT NULL, UPDATED_AT TIMESTAMP NOT NULL, REVERIFIED_RUN VARCHAR(100), "
                    + "PENDING_DECISION VARCHAR(200), PENDING_COMMIT CHAR(40), PENDING_OLD CHAR(40), "
                    + "SHIPPED_COMMIT CHAR(40), SHIPPED_AT TIMESTAMP, NOTE VARCHAR(8000) NOT NULL)",
            "CREATE INDEX AUT_CHANGE_BY_STATE ON AUT_CHANGE (STATE, REPO)",
            "CREATE INDEX AUT_CHANGE_BY_SHIPPED ON AUT_CHANGE (SHIPPED_AT)",
            "CREATE TABLE AUT_CHANGE_ITEM (CHANGE_ID BIGINT NOT NULL, ORD INT NOT NULL, ITEM_ID VARCHAR(16) NOT NULL, "
                    + "KIND VARCHAR(32) NOT NULL, TITLE VARCHAR(1000) NOT NULL, ENHANCEMENT_ID BIGINT, "
                    + "REVERT_COMMIT CHAR(40), PRIMARY KEY (CHANGE_ID, ORD))",
            "CREATE INDEX AUT_CHANGE_ITEM_BY_ITEM ON AUT_CHANGE_ITEM (ITEM_ID)",
            "CREATE TABLE AUT_CHANGE_CHECK (CHANGE_ID BIGINT NOT NULL, NAME VARCHAR(100) NOT NULL, "
                    + "COMMIT_SHA CHAR(40) NOT NULL, CHECK_ID BIGINT, GREEN BOOLEAN NOT NULL, "
                    + "DETAIL VARCHAR(2000) NOT NULL, PRIMARY KEY (CHANGE_ID, NAME))"),
            Migration.of(2, "the SHA an approval was given for, and the decision the candidate carries",
                    "ALTER TABLE AUT_CHANGE ADD COLUMN APPROVED_COMMIT CHAR(40)",
                    "ALTER TABLE AUT_CHANGE ADD COLUMN CANDIDATE_DECISION VARCHAR(200)"));

    private static final String COLUMNS = "ID, REPO, BRANCH, GROUP_KEY, KIND, TITLE, RISK, STATE, BASE_COMMIT, "
            + "HEAD_COMMIT, VERIFIED_COMMIT, VERIFIED_BASE, CHECK_IDS, DECISION_IDS, APPROVED_BY, APPROVAL_REASON, "
            + "RUN_ID, CREATED_AT, UPDATED_AT, REVERIFIED_RUN, PENDING_DECISION, PENDING_COMMIT, PENDING_OLD, "
            + "SHIPPED_COMMIT, SHIPPED_AT, NOTE, APPROVED_COMMIT, CANDIDATE_DECISION";

    /**
     * Held around each INSERT into AUT_CHANGE: Derby fails an INSERT into an identity column at once with 40XL1 when
     * it allocates the column's range while another connection inserts too (docs/architecture.md).
     */
    private static final Object INSERTS = new Object();

    /** One item of a request: what it applies. */
    record Item(String itemId, String kind, String title, long enhancementId, String revertCommit) {
    }

    /** One required check of the last verification: green only when it ran to exit 0 on {@code commit}. */
    record Check(String name, String commit, Long checkId, boolean green, String detail) {
    }

    /**
     * A request as stored, with SHIP's own columns.
     *
     * @param approvedCommit the candidate SHA a person approved (an approval is bound to it), or null
     * @param candidateDecision the decision whose {@code TAP-DECISION} trailer the verified candidate carries
     */
    record Stored(ChangeRequest request, String groupKey, String verifiedBase, String reverifiedRun,
            String pendingDecision, String pendingCommit, String pendingOld, String shippedCommit,
            Instant shippedAt, String note, List<Item> items, List<Check> checks, String approvedCommit,
            String candidateDecision) {
        long id() {
            return request.id();
        }

        ChangeState state() {
            return request.state();
        }
    }

    private final DataSource dataSource;

    ChangeStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return the new request's id */
    long insert(String repo, String branch, String groupKey, String kind, String title, Risk risk, ChangeState state,
            String base, String head, String runId, List<Item> items) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long id;
            synchronized (INSERTS) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO AUT_CHANGE (REPO, BRANCH, GROUP_KEY, "
                        + "KIND, TITLE, RISK, STATE, BASE_COMMIT, HEAD_COMMIT, CHECK_IDS, DECISION_IDS, RUN_ID, "
                        + "CREATED_AT, UPDATED_AT, NOTE) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, '')",
                        Statement.RETURN_GENERATED_KEYS)) {
                    Object[] v = {repo, branch, groupKey, kind, clip(title, 1000), risk.name(), state.name(), base,
                        head, runId, now, now};
                    for (int i = 0; i < v.length; i++) {
                        s.setObject(i + 1, v[i]);
                    }
                    s.executeUpdate();
                    try (ResultSet k = s.getGeneratedKeys()) {
                        k.next();
                        id = k.getLong(1);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO AUT_CHANGE_ITEM (CHANGE_ID, ORD, ITEM_ID, "
                    + "KIND, TITLE, ENHANCEMENT_ID, REVERT_COMMIT) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < items.size(); i++) {
                    Item it = items.get(i);
                    s.setLong(1, id);
                    s.setInt(2, i);
                    s.setString(3, it.itemId());
                    s.setString(4, it.kind());
                    s.setString(5, clip(it.title(), 1000));
                    s.setObject(6, it.enhancementId() == 0 ? null : it.enhancementId(), Types.BIGINT);
                    s.setString(7, it.revertCommit());
                    s.executeUpdate();
                }
            }
            c.commit();
            return id;
        }
    }

    Optional<Stored> get(long id) throws SQLException {
        List<Stored> found = select("WHERE ID = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** @return the requests of that state and repository (every one for null), newest first */
    List<Stored> list(ChangeState state, String repo) throws SQLException {
        List<Object> values = new ArrayList<>();
        return select(where(state, repo, values) + " ORDER BY ID DESC", values.toArray());
    }

    /** @return the WHERE clause of a list of that state and repository (either null: any), its values added */
    private static String where(ChangeState state, String repo, List<Object> values) {
        return Rows.whereEqual(List.of("STATE", "REPO"), Arrays.asList(state == null ? null : state.name(), repo),
                values);
    }

    /**
     * @return at most {@code limit} of {@link #list(ChangeState, String)} from the {@code offset}-th: only those rows
     *     are read, with their items and checks (two more queries each: a page costs its length, not the table's)
     */
    List<Stored> list(ChangeState state, String repo, int offset, int limit) throws SQLException {
        List<Object> values = new ArrayList<>();
        return select(where(state, repo, values) + " ORDER BY ID DESC OFFSET " + offset + " ROWS FETCH NEXT " + limit
                + " ROWS ONLY", values.toArray());
    }

    /** @return the open request (neither shipped nor closed) that holds the item, if any */
    Optional<Stored> openWith(String itemId) throws SQLException {
        List<Long> ids = Rows.list(dataSource, "SELECT c.ID FROM AUT_CHANGE c JOIN AUT_CHANGE_ITEM i ON "
                + "i.CHANGE_ID = c.ID WHERE i.ITEM_ID = ? AND c.STATE NOT IN ('SHIPPED', 'CLOSED') ORDER BY c.ID DESC",
                r -> r.getLong(1), itemId);
        return ids.isEmpty() ? Optional.empty() : get(ids.get(0));
    }

    /**
     * @return how many requests were shipped with a decision made in [from, to), plus every ship under way (a ship
     *     decision allowed and recorded, its commit noted as pending, not finished): a crash between the ref update
     *     and the finish leaves the row in its old state, and counting only finished ships would let another change
     *     past the daily cap before the interrupted one is settled
     */
    int shippedBetween(Instant from, Instant to) throws SQLException {
        return Rows.list(dataSource, "SELECT COUNT(*) FROM AUT_CHANGE WHERE (STATE = 'SHIPPED' AND SHIPPED_AT >= ? "
                + "AND SHIPPED_AT < ?) OR (STATE <> 'SHIPPED' AND PENDING_COMMIT IS NOT NULL)", r -> r.getInt(1),
                Timestamp.from(from), Timestamp.from(to)).get(0);
    }

    /**
     * Sets columns of a request (names are constants of this package, never input), and its update time.
     *
     * @param expected the state it must be in, or null for any
     * @return false when it was not in {@code expected}
     */
    boolean update(long id, ChangeState expected, Map<String, Object> columns) throws SQLException {
        Map<String, Object> set = new LinkedHashMap<>(columns);
        set.put("UPDATED_AT", Timestamp.from(Instant.now()));
        String sql = "UPDATE AUT_CHANGE SET " + String.join(" = ?, ", set.keySet()) + " = ? WHERE ID = ?"
                + (expected == null ? "" : " AND STATE = ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (Object v : set.values()) {
                Object value = v instanceof Instant t ? Timestamp.from(t) : v instanceof Enum<?> e ? e.name() : v;
                if (value == null) {
                    s.setNull(i++, Types.VARCHAR);
                } else {
                    s.setObject(i++, value);
                }
            }
            s.setLong(i++, id);
            if (expected != null) {
                s.setString(i, expected.name());
            }
            return s.executeUpdate() == 1;
        }
    }

    /** Appends a decision's id to the request's list. */
    void addDecision(long id, String decisionId) throws SQLException {
        synchronized (INSERTS) {
            Stored s = get(id).orElseThrow();
            List<String> ids = new ArrayList<>(s.request().decisionIds());
            ids.add(decisionId);
            update(id, null, Map.of("DECISION_IDS", String.join(",", ids)));
        }
    }

    /** Replaces the check results of the request by those of its last verification. */
    void replaceChecks(long id, List<Check> checks) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement d = c.prepareStatement("DELETE FROM AUT_CHANGE_CHECK WHERE CHANGE_ID = ?")) {
                d.setLong(1, id);
                d.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO AUT_CHANGE_CHECK (CHANGE_ID, NAME, "
                    + "COMMIT_SHA, CHECK_ID, GREEN, DETAIL) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Check k : checks) {
                    s.setLong(1, id);
                    s.setString(2, k.name());
                    s.setString(3, k.commit());
                    s.setObject(4, k.checkId(), Types.BIGINT);
                    s.setBoolean(5, k.green());
                    s.setString(6, clip(k.detail(), 2000));
                    s.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private List<Stored> select(String tail, Object... values) throws SQLException {
        List<Stored> rows = Rows.list(dataSource, "SELECT " + COLUMNS + " FROM AUT_CHANGE " + tail, ChangeStore::row,
                values);
        List<Stored> full = new ArrayList<>();
        for (Stored s : rows) {
            List<Item> items = Rows.list(dataSource, "SELECT ITEM_ID, KIND, TITLE, ENHANCEMENT_ID, REVERT_COMMIT "
                    + "FROM AUT_CHANGE_ITEM WHERE CHANGE_ID = ? ORDER BY ORD", r -> new Item(r.getString(1),
                            r.getString(2), r.getString(3), r.getLong(4), r.getString(5)), s.id());
            List<Check> checks = Rows.list(dataSource, "SELECT NAME, COMMIT_SHA, CHECK_ID, GREEN, DETAIL FROM "
                    + "AUT_CHANGE_CHECK WHERE CHANGE_ID = ? ORDER BY NAME", r -> new Check(r.getString(1),
                            r.getString(2), (Long) r.getObject(3), r.getBoolean(4), r.getString(5)), s.id());
            ChangeRequest q = s.request();
            ChangeRequest withItems = new ChangeRequest(q.id(), q.repo(), q.branch(),
                    items.stream().map(Item::itemId).toList(), q.kind(), q.title(), q.risk(), q.state(),
                    q.baseCommit(), q.headCommit(), q.verifiedCommit(), q.checkIds(), q.decisionIds(), q.approvedBy(),
                    q.approvalReason(), q.runId(), q.createdAt(), q.updatedAt());
            full.add(new Stored(withItems, s.groupKey(), s.verifiedBase(), s.reverifiedRun(), s.pendingDecision(),
                    s.pendingCommit(), s.pendingOld(), s.shippedCommit(), s.shippedAt(), s.note(), items, checks,
                    s.approvedCommit(), s.candidateDecision()));
        }
        return full;
    }

    private static Stored row(ResultSet r) throws SQLException {
        ChangeRequest q = new ChangeRequest(r.getLong("ID"), r.getString("REPO"), r.getString("BRANCH"), List.of(),
                r.getString("KIND"), r.getString("TITLE"), Risk.valueOf(r.getString("RISK")),
                ChangeState.valueOf(r.getString("STATE")), r.getString("BASE_COMMIT"), r.getString("HEAD_COMMIT"),
                r.getString("VERIFIED_COMMIT"), split(r.getString("CHECK_IDS")).stream().map(Long::valueOf).toList(),
                split(r.getString("DECISION_IDS")), r.getString("APPROVED_BY"), r.getString("APPROVAL_REASON"),
                r.getString("RUN_ID"), instant(r, "CREATED_AT"), instant(r, "UPDATED_AT"));
        return new Stored(q, r.getString("GROUP_KEY"), r.getString("VERIFIED_BASE"), r.getString("REVERIFIED_RUN"),
                r.getString("PENDING_DECISION"), r.getString("PENDING_COMMIT"), r.getString("PENDING_OLD"),
                r.getString("SHIPPED_COMMIT"), instant(r, "SHIPPED_AT"), r.getString("NOTE"), List.of(), List.of(),
                r.getString("APPROVED_COMMIT"), r.getString("CANDIDATE_DECISION"));
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
