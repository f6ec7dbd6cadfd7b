package io.harmonix.agent.security.internal.deps;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The advisories in the runtime's database: one row per advisory (its OSV JSON kept whole, read back on use) and
 * one per affected package, which is what a scan looks up. The schema is this bundle's, applied through the
 * store's {@link SchemaMigrator} as component {@value #COMPONENT}; the store is chosen as the workflow and state
 * bundles choose it (the store that {@code etc/io.harmonix.store.cfg} chooses,
 * {@code harmonix.store.selected=true}; overridable with {@code dataSource.target}).
 */
@Component(service = AdvisoryStore.class, configurationPid = "io.harmonix.agent.security.advisories")
public final class DerbyAdvisories implements AdvisoryStore {
    static final String COMPONENT = "security-advisories";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "OSV advisories and the packages they affect",
            "CREATE TABLE SEC_ADVISORY (ID VARCHAR(200) NOT NULL PRIMARY KEY, SUMMARY VARCHAR(2000), "
                    + "ALIASES VARCHAR(2000), SEVERITY VARCHAR(16) NOT NULL, OSV CLOB NOT NULL, "
                    + "IMPORTED_AT TIMESTAMP NOT NULL)",
            "CREATE TABLE SEC_AFFECTED (ADVISORY_ID VARCHAR(200) NOT NULL, ECOSYSTEM VARCHAR(64) NOT NULL, "
                    + "PACKAGE VARCHAR(500) NOT NULL, PRIMARY KEY (ADVISORY_ID, ECOSYSTEM, PACKAGE))",
            "CREATE INDEX SEC_AFFECTED_BY_PACKAGE ON SEC_AFFECTED (ECOSYSTEM, PACKAGE)"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    @Activate
    public DerbyAdvisories(@Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET)
            DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator)
            throws SQLException {
        this.dataSource = dataSource;
        migrator.migrate(COMPONENT, MIGRATIONS);
    }

    @Override
    public int save(List<Advisory> advisories) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delAffected = c.prepareStatement("DELETE FROM SEC_AFFECTED WHERE ADVISORY_ID = ?");
                    PreparedStatement del = c.prepareStatement("DELETE FROM SEC_ADVISORY WHERE ID = ?");
                    PreparedStatement add = c.prepareStatement("INSERT INTO SEC_ADVISORY (ID, SUMMARY, ALIASES, "
                            + "SEVERITY, OSV, IMPORTED_AT) VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement addAffected = c.prepareStatement("INSERT INTO SEC_AFFECTED (ADVISORY_ID, "
                            + "ECOSYSTEM, PACKAGE) VALUES (?, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (Advisory a : advisories) {
                    delAffected.setString(1, a.id());
                    delAffected.executeUpdate();
                    del.setString(1, a.id());
                    del.executeUpdate();
                    if (a.withdrawn()) {
                        continue;
                    }
                    add.setString(1, a.id());
                    add.setString(2, cut(a.summary(), 2000));
                    add.setString(3, cut(String.join(",", a.aliases()), 2000));
                    add.setString(4, a.severity().id());
                    add.setString(5, a.json());
                    add.setTimestamp(6, now);
                    add.executeUpdate();
                    Set<String> seen = new LinkedHashSet<>();
                    for (Advisory.Affected af : a.affected()) {
                        String eco = ecosystem(af.ecosystem());
                        if (seen.add(eco + "\n" + af.name())) {
                            addAffected.setString(1, a.id());
                            addAffected.setString(2, eco);
                            addAffected.setString(3, af.name());
                            addAffected.executeUpdate();
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return advisories.size();
    }

    @Override
    public List<Advisory> forPackage(String ecosystem, String name) throws SQLException {
        return Rows.list(dataSource, "SELECT A.ID, A.OSV FROM SEC_ADVISORY A JOIN SEC_AFFECTED F "
                + "ON F.ADVISORY_ID = A.ID WHERE F.ECOSYSTEM = ? AND F.PACKAGE = ? ORDER BY A.ID",
                DerbyAdvisories::advisory, ecosystem(ecosystem), name);
    }

    @Override
    public List<Advisory> list(String ecosystem, String name) throws SQLException {
        List<Object> values = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT A.ID, A.OSV FROM SEC_ADVISORY A WHERE 1 = 1");
        if (ecosystem != null || name != null) {
            sql.append(" AND A.ID IN (SELECT ADVISORY_ID FROM SEC_AFFECTED WHERE 1 = 1");
            if (ecosystem != null) {
                sql.append(" AND ECOSYSTEM = ?");
                values.add(ecosystem(ecosystem));
            }
            if (name != null) {
                sql.append(" AND PACKAGE = ?");
                values.add(name);
            }
            sql.append(')');
        }
        return Rows.list(dataSource, sql + " ORDER BY A.ID", DerbyAdvisories::advisory, values.toArray());
    }

    private static Advisory advisory(ResultSet r) throws SQLException {
        String id = r.getString(1);
        try {
            return OsvReader.advisory(JSON.readTree(r.getString(2)), "stored advisory");
        } catch (IOException | AdvisoryFormatException e) {
            throw new SQLException("stored advisory " + id + " cannot be read back: " + e.getMessage(), e);
        }
    }

    /** Ecosystems are matched without case ({@code Maven}, {@code maven}). */
    static String ecosystem(String e) {
        return e.toLowerCase(Locale.ROOT);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
