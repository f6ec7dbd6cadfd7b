package io.harmonix.fleet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.Repository;
import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import io.harmonix.store.api.SchemaMigrator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The catalogue in the runtime's Derby database: one row per repository and the last discovery's report, replaced
 * together in one transaction after each discovery, so a restarted runtime has the catalogue a crash left whole.
 * The schema is this bundle's, applied through the store's {@link SchemaMigrator} as component {@value #COMPONENT}.
 */
final class CatalogueStore {
    static final String COMPONENT = "fleet-catalogue";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "fleet repositories and the last discovery",
            "CREATE TABLE FLEET_REPOSITORY (NAME VARCHAR(200) NOT NULL PRIMARY KEY, PATH VARCHAR(4000) NOT NULL, "
                    + "LANGUAGE VARCHAR(100), BUILD_COMMAND VARCHAR(4000), TEST_COMMAND VARCHAR(4000), "
                    + "DECLARED_DEPENDENCIES CLOB NOT NULL, INFERRED_DEPENDENCIES CLOB NOT NULL, "
                    + "ORIGIN VARCHAR(16) NOT NULL, PROBLEM VARCHAR(4000), HEAD VARCHAR(64), "
                    + "DISCOVERED_AT TIMESTAMP NOT NULL)",
            "CREATE TABLE FLEET_DISCOVERY (ID INT NOT NULL PRIMARY KEY, REPORT CLOB NOT NULL)"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    CatalogueStore(DataSource dataSource, SchemaMigrator migrator) throws SQLException {
        this.dataSource = dataSource;
        migrator.migrate(COMPONENT, MIGRATIONS);
    }

    List<Known> load() throws SQLException {
        return Rows.list(dataSource, "SELECT NAME, PATH, LANGUAGE, BUILD_COMMAND, TEST_COMMAND, "
                + "DECLARED_DEPENDENCIES, INFERRED_DEPENDENCIES, ORIGIN, PROBLEM, HEAD, DISCOVERED_AT "
                + "FROM FLEET_REPOSITORY ORDER BY NAME", CatalogueStore::known);
    }

    Optional<DiscoveryReport> lastReport() throws SQLException {
        List<String> r = Rows.list(dataSource, "SELECT REPORT FROM FLEET_DISCOVERY WHERE ID = 1",
                rs -> rs.getString(1));
        if (r.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FleetJson.report(JSON.readTree(r.get(0))));
        } catch (JsonProcessingException e) {
            throw new SQLException("the stored discovery report cannot be read back: " + e.getOriginalMessage(), e);
        }
    }

    /** Replaces the catalogue and the last report in one transaction. */
    void save(List<Known> catalogue, DiscoveryReport report) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM FLEET_REPOSITORY");
                    PreparedStatement add = c.prepareStatement("INSERT INTO FLEET_REPOSITORY (NAME, PATH, LANGUAGE, "
                            + "BUILD_COMMAND, TEST_COMMAND, DECLARED_DEPENDENCIES, INFERRED_DEPENDENCIES, ORIGIN, "
                            + "PROBLEM, HEAD, DISCOVERED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement delReport = c.prepareStatement("DELETE FROM FLEET_DISCOVERY");
                    PreparedStatement addReport = c.prepareStatement("INSERT INTO FLEET_DISCOVERY (ID, REPORT) "
                            + "VALUES (1, ?)")) {
                del.executeUpdate();
                for (Known k : catalogue) {
                    Repository r = k.repository();
                    add.setString(1, r.name());
                    add.setString(2, r.path());
                    add.setString(3, r.language());
                    add.setString(4, r.buildCommand());
                    add.setString(5, r.testCommand());
                    add.setString(6, JSON.writeValueAsString(r.declaredDependencies()));
                    add.setString(7, JSON.writeValueAsString(r.inferredDependencies()));
                    add.setString(8, r.origin());
                    add.setString(9, cut(r.problem()));
                    add.setString(10, k.head());
                    add.setTimestamp(11, Timestamp.from(k.discoveredAt()));
                    add.executeUpdate();
                }
                delReport.executeUpdate();
                addReport.setString(1, JSON.writeValueAsString(FleetJson.report(report)));
                addReport.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException | JsonProcessingException e) {
                c.rollback();
                throw e instanceof SQLException s ? s : new SQLException("the catalogue could not be stored", e);
            }
        }
    }

    private static Known known(ResultSet r) throws SQLException {
        try {
            Repository repo = new Repository(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                    r.getString(5), strings(r.getString(6)), strings(r.getString(7)), r.getString(8),
                    r.getString(9));
            return new Known(repo, r.getString(10), r.getTimestamp(11).toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("stored repository " + r.getString(1) + " cannot be read back", e);
        }
    }

    private static List<String> strings(String json) throws JsonProcessingException {
        return List.of(JSON.readValue(json, String[].class));
    }

    private static String cut(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }
}
