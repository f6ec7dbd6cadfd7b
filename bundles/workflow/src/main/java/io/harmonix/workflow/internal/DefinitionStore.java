package io.harmonix.workflow.internal;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Deployed definitions by name and version, in the shared database. */
final class DefinitionStore {
    static final String COMPONENT = "workflow";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "workflow definitions by name and version",
            "CREATE TABLE WF_DEFINITION (NAME VARCHAR(64) NOT NULL, VERSION VARCHAR(64) NOT NULL, "
                    + "SOURCE VARCHAR(1000) NOT NULL, TEXT CLOB NOT NULL, DEPLOYED_AT TIMESTAMP NOT NULL, "
                    + "PRIMARY KEY (NAME, VERSION))"),
            Migration.of(2, "durable workflow instances and their append-only history",
                    "CREATE TABLE WF_INSTANCE (ID VARCHAR(64) NOT NULL PRIMARY KEY, SOURCE VARCHAR(1000), "
                            + "DEFINITION CLOB NOT NULL, INPUT_JSON CLOB NOT NULL, STATE VARCHAR(16) NOT NULL, "
                            + "STARTED_AT TIMESTAMP NOT NULL, ENDED_AT TIMESTAMP, OUTPUT_JSON CLOB, ERROR VARCHAR(2000), "
                            + "UPDATED_AT TIMESTAMP NOT NULL)",
                    "CREATE INDEX WF_INSTANCE_BY_STATE ON WF_INSTANCE (STATE)",
                    "CREATE TABLE WF_HISTORY (INSTANCE_ID VARCHAR(64) NOT NULL, SEQ BIGINT NOT NULL, "
                            + "EVENT_AT TIMESTAMP NOT NULL, KIND VARCHAR(32) NOT NULL, TASK_ID VARCHAR(64), DATA CLOB, "
                            + "PRIMARY KEY (INSTANCE_ID, SEQ))"),
            Migration.of(3, "events, stored before they are dispatched",
                    "CREATE TABLE WF_EVENT (SEQ BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                            + "ID VARCHAR(64) NOT NULL UNIQUE, SOURCE VARCHAR(200) NOT NULL, TYPE VARCHAR(200) NOT NULL, "
                            + "EVENT_TIME TIMESTAMP NOT NULL, SUBJECT VARCHAR(500), DATA CLOB, DISPATCHED SMALLINT NOT NULL)"));

    /** A stored definition's text. */
    record Stored(String name, String version, String source, String text, Instant deployedAt) {
    }

    private final DataSource dataSource;

    DefinitionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores (or replaces) a definition. */
    void put(Stored d) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM WF_DEFINITION WHERE NAME = ? AND VERSION = ?");
                    PreparedStatement ins = c.prepareStatement("INSERT INTO WF_DEFINITION VALUES (?, ?, ?, ?, ?)")) {
                del.setString(1, d.name());
                del.setString(2, d.version());
                del.executeUpdate();
                ins.setString(1, d.name());
                ins.setString(2, d.version());
                ins.setString(3, d.source().length() > 1000 ? d.source().substring(0, 1000) : d.source());
                ins.setString(4, d.text());
                ins.setTimestamp(5, Timestamp.from(d.deployedAt()));
                ins.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    void remove(String name, String version) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement del = c.prepareStatement("DELETE FROM WF_DEFINITION WHERE NAME = ? AND VERSION = ?")) {
            del.setString(1, name);
            del.setString(2, version);
            del.executeUpdate();
        }
    }

    /** @return the stored version of a definition, if any */
    java.util.Optional<Stored> get(String name, String version) throws SQLException {
        return Rows.list(dataSource, "SELECT NAME, VERSION, SOURCE, TEXT, DEPLOYED_AT FROM WF_DEFINITION WHERE NAME = ? "
                + "AND VERSION = ?", r -> new Stored(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getTimestamp(5).toInstant()), name, version).stream().findFirst();
    }

    /** @return every stored definition, by name then deployment time */
    List<Stored> all() throws SQLException {
        return Rows.list(dataSource, "SELECT NAME, VERSION, SOURCE, TEXT, DEPLOYED_AT FROM WF_DEFINITION ORDER BY "
                + "NAME, DEPLOYED_AT", r -> new Stored(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getTimestamp(5).toInstant()));
    }
}
