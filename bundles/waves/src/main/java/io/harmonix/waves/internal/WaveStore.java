package io.harmonix.waves.internal;

import io.harmonix.store.api.Rows;
import io.harmonix.waves.api.AgentInstance;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport.Conflict;
import io.harmonix.waves.api.WaveReport.MergedFinding;
import io.harmonix.waves.api.WaveReport.WaveProposal;
import io.harmonix.waves.api.WaveSize;
import io.harmonix.waves.api.WaveStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The waves, their instances and what they found, in the runtime's database ({@link WaveTables}).
 *
 * <p>Why a little over 500 lines: it is the one class that writes the waves' tables, and the recording of an
 * aggregated cycle ({@link #recordCycle}) must write a cycle's row, findings, conflicts and proposals in one
 * transaction on one connection; splitting the tables' SQL over several classes would split that transaction's
 * statements from the ones that read them back, with nothing gained.
 */
final class WaveStore {
    static final String DONE = "done";
    /** A proposal's status in the wave before the ledger answered. */
    static final String KEPT = "kept";
    /** The SQL state of a duplicate key, in Derby and PostgreSQL. */
    private static final String DUPLICATE = "23505";
    private static final String WAVE_COLUMNS = "ID, TARGET, WAVE_SIZE, FOCUS, COMPONENTS, STATUS, RUN_ID, CYCLES, "
            + "SERIES, STARTED_AT, ENDED_AT, MESSAGE";

    /** One instance as planned: its configuration name and its run next to what the API shows. */
    record Instance(String agentId, String waveId, String type, String configName, List<String> components,
            String doing, String runId) {
    }

    /** An infinite-mode series. */
    record Series(String id, String target, int throttle, long intervalMillis, WaveStatus status, Instant startedAt,
            Instant endedAt, String lastDecision) {
    }

    private final DataSource db;

    WaveStore(DataSource db) {
        this.db = db;
    }

    DataSource dataSource() {
        return db;
    }

    void insert(Wave w, List<Instance> instances) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO WAVE (" + WAVE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement i = c.prepareStatement("INSERT INTO WAVE_INSTANCE (AGENT_ID, WAVE_ID, "
                            + "AGENT_TYPE, CONFIG_NAME, COMPONENTS, DOING, RUN_ID) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, w.id());
                s.setString(2, w.target());
                s.setString(3, w.size().id());
                s.setString(4, w.focus() == null ? null : w.focus().type());
                s.setString(5, String.join(",", w.components()));
                s.setString(6, w.status().name());
                s.setString(7, w.runId());
                s.setInt(8, w.cycles());
                s.setString(9, w.series());
                s.setTimestamp(10, Timestamp.from(w.startedAt()));
                s.setTimestamp(11, w.endedAt() == null ? null : Timestamp.from(w.endedAt()));
                s.setString(12, w.message());
                s.executeUpdate();
                for (Instance in : instances) {
                    i.setString(1, in.agentId());
                    i.setString(2, in.waveId());
                    i.setString(3, in.type());
                    i.setString(4, in.configName());
                    i.setString(5, String.join(",", in.components()));
                    i.setString(6, in.doing());
                    i.setString(7, in.runId());
                    i.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Sets a wave's status, run, end and message (null leaves the run as it is). */
    void update(String waveId, WaveStatus status, String runId, Instant endedAt, String message)
            throws SQLException {
        update("UPDATE WAVE SET STATUS = ?, RUN_ID = COALESCE(?, RUN_ID), ENDED_AT = ?, MESSAGE = ? WHERE ID = ?",
                status.name(), runId, endedAt == null ? null : Timestamp.from(endedAt), message, waveId);
    }

    /**
     * Ends a wave once: its status, end and message set only while it has not ended (several runtimes may each see
     * its last run end).
     *
     * @return true for the call that ended it
     */
    boolean end(String waveId, WaveStatus status, Instant endedAt, String message) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE WAVE SET STATUS = ?, ENDED_AT = ?, MESSAGE = ? "
                        + "WHERE ID = ? AND STATUS IN ('DEPLOYING', 'RUNNING')")) {
            s.setString(1, status.name());
            s.setTimestamp(2, Timestamp.from(endedAt));
            s.setString(3, cut(message, 2000));
            s.setString(4, waveId);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Records that a wave is to stop (once: the first request's time and message stay): the runtimes driving its
     * runs stop them when they see it.
     *
     * @return true when this call recorded it
     */
    boolean requestStop(String waveId, Instant at, String message) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE WAVE SET STOP_REQUESTED = ?, MESSAGE = ? "
                        + "WHERE ID = ? AND STOP_REQUESTED IS NULL AND STATUS IN ('DEPLOYING', 'RUNNING')")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setString(2, cut(message, 2000));
            s.setString(3, waveId);
            return s.executeUpdate() == 1;
        }
    }

    /** @return whether a stop of the wave was requested */
    boolean stopRequested(String waveId) throws SQLException {
        return !Rows.list(db, "SELECT 1 FROM WAVE WHERE ID = ? AND STOP_REQUESTED IS NOT NULL", r -> 1, waveId)
                .isEmpty();
    }

    /** @return the runs of the waves not ended whose stop was requested */
    List<String> runsToStop() throws SQLException {
        return Rows.list(db, "SELECT I.RUN_ID FROM WAVE_INSTANCE I JOIN WAVE W ON W.ID = I.WAVE_ID WHERE "
                + "W.STOP_REQUESTED IS NOT NULL AND W.STATUS IN ('DEPLOYING', 'RUNNING') AND I.RUN_ID IS NOT NULL",
                r -> r.getString(1));
    }

    /** A wave still deploying: its id and start. */
    record Deploying(String id, Instant startedAt) {
    }

    /** @return the waves still deploying (a light read, every second) */
    List<Deploying> deploying() throws SQLException {
        return Rows.list(db, "SELECT ID, STARTED_AT FROM WAVE WHERE STATUS = 'DEPLOYING'",
                r -> new Deploying(r.getString(1), r.getTimestamp(2).toInstant()));
    }

    /** Marks a wave running, if it is still deploying. */
    void running(String waveId) throws SQLException {
        update("UPDATE WAVE SET STATUS = 'RUNNING' WHERE ID = ? AND STATUS = 'DEPLOYING'", waveId);
    }

    /** Says what an instance is doing; an instance that is done stays done (a late cycle event changes nothing). */
    void doing(String agentId, String doing) throws SQLException {
        update("UPDATE WAVE_INSTANCE SET DOING = ? WHERE AGENT_ID = ? AND DOING <> '" + DONE + "'", cut(doing, 200),
                agentId);
    }

    /**
     * Says what a cycle of the wave came to, on the instances that have not started a later one (a run ahead of the
     * others says what it does).
     */
    void aggregated(String waveId, long cycle, String what) throws SQLException {
        update("UPDATE WAVE_INSTANCE SET DOING = ? WHERE WAVE_ID = ? AND DOING LIKE ? AND DOING <> '" + DONE + "'",
                cut(what, 200), waveId, "cycle " + cycle + " of %");
    }

    /** Marks an instance done: its run, or its wave, ended. */
    void done(String agentId) throws SQLException {
        update("UPDATE WAVE_INSTANCE SET DOING = '" + DONE + "' WHERE AGENT_ID = ?", agentId);
    }

    /** Keeps only these instances of a wave (those whose components could be claimed). */
    void dropInstance(String agentId) throws SQLException {
        update("DELETE FROM WAVE_INSTANCE WHERE AGENT_ID = ?", agentId);
    }

    /** Sets the components an instance ended up owning. */
    void components(String agentId, List<String> components) throws SQLException {
        update("UPDATE WAVE_INSTANCE SET COMPONENTS = ? WHERE AGENT_ID = ?", String.join(",", components), agentId);
    }

    Optional<Wave> wave(String id, Leases leases) throws SQLException {
        List<Wave> w = waves("SELECT " + WAVE_COLUMNS + " FROM WAVE WHERE ID = ?", leases, id);
        return w.stream().findFirst();
    }

    /** @return every wave, newest first */
    List<Wave> waves(Leases leases) throws SQLException {
        return waves("SELECT " + WAVE_COLUMNS + " FROM WAVE ORDER BY STARTED_AT DESC, ID", leases);
    }

    /**
     * @return at most {@code limit} waves from the {@code offset}-th, newest first: only those rows, and only their
     *     instances, are read (each wave's instances are one more query: a page costs its length, not the table's)
     */
    List<Wave> waves(Leases leases, int offset, int limit) throws SQLException {
        return waves("SELECT " + WAVE_COLUMNS + " FROM WAVE ORDER BY STARTED_AT DESC, ID OFFSET " + offset
                + " ROWS FETCH NEXT " + limit + " ROWS ONLY", leases);
    }

    /** @return the waves that have not ended */
    List<Wave> unended(Leases leases) throws SQLException {
        return waves("SELECT " + WAVE_COLUMNS + " FROM WAVE WHERE STATUS IN ('DEPLOYING', 'RUNNING') "
                + "ORDER BY STARTED_AT, ID", leases);
    }

    /** @return the wave one of whose runs this is */
    Optional<Wave> byRun(String runId, Leases leases) throws SQLException {
        return waves("SELECT " + WAVE_COLUMNS + " FROM WAVE WHERE ID IN (SELECT WAVE_ID FROM WAVE_INSTANCE "
                + "WHERE RUN_ID = ?)", leases, runId).stream().findFirst();
    }

    private List<Wave> waves(String sql, Leases leases, Object... values) throws SQLException {
        List<Wave> out = new ArrayList<>();
        for (Wave w : Rows.list(db, sql, WaveStore::wave, values)) {
            List<AgentInstance> instances = new ArrayList<>();
            for (Instance in : instances(w.id())) {
                Instant expiry = leases.held(in.agentId()).stream().map(Leases.Lease::expiresAt)
                        .min(Instant::compareTo).orElse(null);
                instances.add(new AgentInstance(in.agentId(), in.type(), in.components(), expiry, in.waveId(),
                        in.doing(), in.runId()));
            }
            out.add(new Wave(w.id(), w.target(), w.size(), w.focus(), w.components(), w.status(), instances,
                    w.runId(), w.cycles(), w.series(), w.startedAt(), w.endedAt(), w.message()));
        }
        return out;
    }

    private static Wave wave(ResultSet r) throws SQLException {
        String focus = r.getString(4);
        Timestamp ended = r.getTimestamp(11);
        return new Wave(r.getString(1), r.getString(2), WaveSize.parse(r.getString(3)),
                focus == null ? null : Focus.parse(focus), split(r.getString(5)), WaveStatus.valueOf(r.getString(6)),
                List.of(), r.getString(7), r.getInt(8), r.getString(9), r.getTimestamp(10).toInstant(),
                ended == null ? null : ended.toInstant(), r.getString(12));
    }

    List<Instance> instances(String waveId) throws SQLException {
        return Rows.list(db, "SELECT AGENT_ID, WAVE_ID, AGENT_TYPE, CONFIG_NAME, COMPONENTS, DOING, RUN_ID FROM "
                + "WAVE_INSTANCE WHERE WAVE_ID = ? ORDER BY CONFIG_NAME", r -> new Instance(r.getString(1),
                        r.getString(2), r.getString(3), r.getString(4), split(r.getString(5)), r.getString(6),
                        r.getString(7)), waveId);
    }

    /** @return the instances whose run this is (one; all of a wave recorded before a wave was a run per instance) */
    List<Instance> instancesOfRun(String runId) throws SQLException {
        return Rows.list(db, "SELECT AGENT_ID, WAVE_ID, AGENT_TYPE, CONFIG_NAME, COMPONENTS, DOING, RUN_ID FROM "
                + "WAVE_INSTANCE WHERE RUN_ID = ? ORDER BY CONFIG_NAME", r -> new Instance(r.getString(1),
                        r.getString(2), r.getString(3), r.getString(4), split(r.getString(5)), r.getString(6),
                        r.getString(7)), runId);
    }

    /** @return the last cycle of the wave aggregated (0 for none) */
    long lastAggregated(String waveId) throws SQLException {
        return Rows.list(db, "SELECT MAX(CYCLE) FROM WAVE_CYCLE WHERE WAVE_ID = ?", r -> r.getLong(1), waveId)
                .stream().findFirst().orElse(0L);
    }

    /** What the recording of an aggregated cycle leaves to do: the proposals to hand to the ledger. */
    record Recorded(List<Aggregation.Refused> refused, List<Aggregation.Candidate> submit) {
    }

    /**
     * Records an aggregated cycle of a wave once, in one transaction: its {@code WAVE_CYCLE} row (a second runtime
     * aggregating the same cycle at once waits on it, then finds it taken), its findings, its conflicts (each once
     * per wave), its proposals (each once per wave).
     *
     * @param refusedToo whether proposals refused for ownership are recorded (as rejected by the ledger: when there
     *     is one)
     * @return what to submit to the ledger, or empty when the cycle was recorded already
     */
    Optional<Recorded> recordCycle(String waveId, Aggregation.Result r, Instant at, boolean refusedToo)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!list(c, "SELECT 1 FROM WAVE_CYCLE WHERE WAVE_ID = ? AND CYCLE = ?", x -> 1, waveId,
                        r.cycle()).isEmpty()) {
                    c.rollback();
                    return Optional.empty();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO WAVE_CYCLE (WAVE_ID, CYCLE, AGGREGATED_AT) "
                        + "VALUES (?, ?, ?)")) {
                    s.setString(1, waveId);
                    s.setLong(2, r.cycle());
                    s.setTimestamp(3, Timestamp.from(at));
                    s.executeUpdate();
                }
                findings(c, waveId, r.findings());
                for (Conflict x : r.conflicts()) {
                    conflict(c, waveId, x);
                }
                List<Aggregation.Refused> refused = new ArrayList<>();
                for (Aggregation.Refused x : r.refused()) {
                    if (refusedToo && proposal(c, waveId, new WaveProposal(r.cycle(), x.proposal().fingerprint(),
                            x.agentId(), x.proposal().title(), null, "refused"))) {
                        refused.add(x);
                    }
                }
                List<Aggregation.Candidate> submit = new ArrayList<>();
                for (Aggregation.Candidate x : r.kept()) {
                    WaveProposal p = new WaveProposal(r.cycle(), x.proposal().fingerprint(), x.agentId(),
                            x.proposal().title(), null, KEPT);
                    // new, or recorded by a cycle whose submission a kill cut off: the ledger keeps one record of
                    // it and starts a validation only for a record still proposed, so it validates nothing twice
                    if (proposal(c, waveId, p) || !list(c, "SELECT 1 FROM WAVE_PROPOSAL WHERE WAVE_ID = ? AND "
                            + "FINGERPRINT = ? AND ENHANCEMENT_ID IS NULL AND STATUS = ?", y -> 1, waveId,
                            p.fingerprint(), KEPT).isEmpty()) {
                        submit.add(x);
                    }
                }
                c.commit();
                return Optional.of(new Recorded(refused, submit));
            } catch (SQLException e) {
                c.rollback();
                if (DUPLICATE.equals(e.getSQLState())) {
                    return Optional.empty(); // another runtime recorded the cycle between the check and the insert
                }
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static <T> List<T> list(Connection c, String sql, Rows.Reader<T> reader, Object... values)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(reader.read(r));
                }
            }
            return out;
        }
    }

    /** Records a cycle's merged findings: new ones inserted, known ones given the sources seen now too. */
    private static void findings(Connection c, String waveId, List<MergedFinding> findings) throws SQLException {
        try (PreparedStatement get = c.prepareStatement("SELECT SOURCES FROM WAVE_FINDING WHERE WAVE_ID = ? "
                + "AND FINGERPRINT = ?");
                PreparedStatement upd = c.prepareStatement("UPDATE WAVE_FINDING SET SOURCES = ?, CYCLE = ?, "
                        + "LINE = ? WHERE WAVE_ID = ? AND FINGERPRINT = ?");
                PreparedStatement ins = c.prepareStatement("INSERT INTO WAVE_FINDING (WAVE_ID, FINGERPRINT, "
                        + "RULE_ID, SEVERITY, FILE_PATH, LINE, MESSAGE, SOURCES, CYCLE) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (MergedFinding f : findings) {
                get.setString(1, waveId);
                get.setString(2, f.fingerprint());
                TreeSet<String> sources = new TreeSet<>(f.sources());
                boolean known;
                try (ResultSet r = get.executeQuery()) {
                    known = r.next();
                    if (known) {
                        sources.addAll(split(r.getString(1)));
                    }
                }
                if (known) {
                    upd.setString(1, cut(String.join(",", sources), 4000));
                    upd.setLong(2, f.cycle());
                    upd.setInt(3, f.line());
                    upd.setString(4, waveId);
                    upd.setString(5, f.fingerprint());
                    upd.executeUpdate();
                } else {
                    ins.setString(1, waveId);
                    ins.setString(2, f.fingerprint());
                    ins.setString(3, cut(f.ruleId(), 200));
                    ins.setString(4, f.severity());
                    ins.setString(5, cut(f.file(), 4000));
                    ins.setInt(6, f.line());
                    ins.setString(7, cut(f.message(), 4000));
                    ins.setString(8, cut(String.join(",", sources), 4000));
                    ins.setLong(9, f.cycle());
                    ins.executeUpdate();
                }
            }
        }
    }

    List<MergedFinding> findings(String waveId) throws SQLException {
        return Rows.list(db, "SELECT FINGERPRINT, RULE_ID, SEVERITY, FILE_PATH, LINE, MESSAGE, SOURCES, CYCLE "
                + "FROM WAVE_FINDING WHERE WAVE_ID = ? ORDER BY FILE_PATH, LINE, FINGERPRINT",
                r -> new MergedFinding(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5),
                        r.getString(6), split(r.getString(7)), r.getLong(8)), waveId);
    }

    /** Records a conflict, once per wave: the same one found again next cycle is not a new one. */
    private static void conflict(Connection c, String waveId, Conflict x) throws SQLException {
        String sql = "SELECT SEQ FROM WAVE_CONFLICT WHERE WAVE_ID = ? AND KIND = ? AND LOSER = ? AND AGENT_ID = ? AND "
                + (x.winner() == null ? "WINNER IS NULL" : "WINNER = ?");
        Object[] values = x.winner() == null ? new Object[] {waveId, x.kind(), x.loser(), x.agentId()}
                : new Object[] {waveId, x.kind(), x.loser(), x.agentId(), x.winner()};
        if (!list(c, sql, r -> r.getLong(1), values).isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO WAVE_CONFLICT (WAVE_ID, CYCLE, KIND, WINNER, LOSER, "
                + "AGENT_ID, RESOLUTION) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, waveId);
            s.setLong(2, x.cycle());
            s.setString(3, x.kind());
            s.setString(4, x.winner());
            s.setString(5, x.loser());
            s.setString(6, x.agentId());
            s.setString(7, cut(x.resolution(), 4000));
            s.executeUpdate();
        }
    }

    List<Conflict> conflicts(String waveId) throws SQLException {
        return Rows.list(db, "SELECT CYCLE, KIND, WINNER, LOSER, AGENT_ID, RESOLUTION FROM WAVE_CONFLICT "
                + "WHERE WAVE_ID = ? ORDER BY SEQ", r -> new Conflict(r.getLong(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getString(5), r.getString(6)), waveId);
    }

    /**
     * Records a proposal of the wave once: a fingerprint already recorded for the wave is not recorded again (the
     * same fix made again next cycle is not submitted twice). Read before written, in the caller's transaction: an
     * insert that failed on the key would abort a PostgreSQL transaction; the cycle's row serializes the writers.
     *
     * @return true when it is new to the wave
     */
    private static boolean proposal(Connection c, String waveId, WaveProposal p) throws SQLException {
        if (!list(c, "SELECT 1 FROM WAVE_PROPOSAL WHERE WAVE_ID = ? AND FINGERPRINT = ?", r -> 1, waveId,
                p.fingerprint()).isEmpty()) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO WAVE_PROPOSAL (WAVE_ID, FINGERPRINT, CYCLE, "
                + "AGENT_ID, TITLE, ENHANCEMENT_ID, STATUS) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, waveId);
            s.setString(2, p.fingerprint());
            s.setLong(3, p.cycle());
            s.setString(4, p.agentId());
            s.setString(5, cut(p.title(), 2000));
            s.setString(6, p.enhancementId());
            s.setString(7, cut(p.status(), 2000));
            s.executeUpdate();
            return true;
        }
    }

    void proposalStatus(String waveId, String fingerprint, String enhancementId, String status) throws SQLException {
        update("UPDATE WAVE_PROPOSAL SET ENHANCEMENT_ID = ?, STATUS = ? WHERE WAVE_ID = ? AND FINGERPRINT = ?",
                enhancementId, cut(status, 2000), waveId, fingerprint);
    }

    List<WaveProposal> proposals(String waveId) throws SQLException {
        return Rows.list(db, "SELECT CYCLE, FINGERPRINT, AGENT_ID, TITLE, ENHANCEMENT_ID, STATUS FROM WAVE_PROPOSAL "
                + "WHERE WAVE_ID = ? ORDER BY CYCLE, FINGERPRINT", r -> new WaveProposal(r.getLong(1),
                        r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6)), waveId);
    }

    void insertSeries(Series s) throws SQLException {
        update("INSERT INTO WAVE_SERIES (ID, TARGET, THROTTLE, INTERVAL_MS, STATUS, STARTED_AT) "
                + "VALUES (?, ?, ?, ?, ?, ?)", s.id(), s.target(), s.throttle(), s.intervalMillis(),
                s.status().name(), Timestamp.from(s.startedAt()));
    }

    void endSeries(String id, WaveStatus status, Instant at) throws SQLException {
        update("UPDATE WAVE_SERIES SET STATUS = ?, ENDED_AT = ? WHERE ID = ?", status.name(), Timestamp.from(at), id);
    }

    List<Series> series(boolean runningOnly) throws SQLException {
        return Rows.list(db, "SELECT ID, TARGET, THROTTLE, INTERVAL_MS, STATUS, STARTED_AT, ENDED_AT, LAST_DECISION "
                + "FROM WAVE_SERIES" + (runningOnly ? " WHERE STATUS = 'RUNNING'" : "") + " ORDER BY STARTED_AT DESC",
                r -> new Series(r.getString(1), r.getString(2), r.getInt(3), r.getLong(4),
                        WaveStatus.valueOf(r.getString(5)), r.getTimestamp(6).toInstant(),
                        r.getTimestamp(7) == null ? null : r.getTimestamp(7).toInstant(), r.getString(8)));
    }

    void decision(String seriesId, String decision) throws SQLException {
        update("UPDATE WAVE_SERIES SET LAST_DECISION = ? WHERE ID = ?", cut(decision, 2000), seriesId);
    }

    /** @return the ids of a series' waves, newest first */
    List<String> wavesOf(String seriesId) throws SQLException {
        return Rows.list(db, "SELECT ID FROM WAVE WHERE SERIES = ? ORDER BY STARTED_AT DESC, ID",
                r -> r.getString(1), seriesId);
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of()
                : Arrays.stream(joined.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
