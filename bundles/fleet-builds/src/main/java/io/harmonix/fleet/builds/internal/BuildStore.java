package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.BreakingCommit;
import io.harmonix.store.api.Migration;
import io.harmonix.store.api.Rows;
import io.harmonix.store.api.SchemaMigrator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * What fleet builds keep in the runtime's database: each build's plan, each repository's outcome, the check record
 * of each step a build task made (so that the task run again after a crash finds it instead of running it again),
 * for each repository the failure streak already reported unhealthy, its last bisection (so that a build of the
 * same broken HEAD from the same green commit does not bisect again) and the breaking commit it was told broken by.
 */
final class BuildStore {
    static final String COMPONENT = "fleet-builds";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "fleet builds, outcomes, steps, alerts",
            "CREATE TABLE FLEET_BUILD (BUILD_KEY VARCHAR(64) NOT NULL PRIMARY KEY, STARTED_AT TIMESTAMP NOT NULL, "
                    + "PLAN CLOB NOT NULL)",
            "CREATE TABLE FLEET_BUILD_OUTCOME (BUILD_KEY VARCHAR(64) NOT NULL, REPOSITORY VARCHAR(512) NOT NULL, "
                    + "OUTCOME CLOB NOT NULL, PRIMARY KEY (BUILD_KEY, REPOSITORY))",
            "CREATE TABLE FLEET_BUILD_STEP (TASK_KEY VARCHAR(512) NOT NULL, STEP VARCHAR(128) NOT NULL, "
                    + "CHECK_ID BIGINT NOT NULL, PRIMARY KEY (TASK_KEY, STEP))",
            "CREATE TABLE FLEET_HEALTH_ALERT (REPOSITORY VARCHAR(512) NOT NULL PRIMARY KEY, "
                    + "STREAK_START BIGINT NOT NULL)"),
            // health counts a build task's failing checks once, found by their ids
            Migration.of(2, "fleet build steps by check", "CREATE INDEX FLEET_BUILD_STEP_CHECK ON FLEET_BUILD_STEP "
                    + "(CHECK_ID)"),
            Migration.of(3, "fleet bisections and breaking commits told",
                    "CREATE TABLE FLEET_BISECTION (REPOSITORY VARCHAR(512) NOT NULL PRIMARY KEY, "
                            + "LAST_GREEN VARCHAR(64) NOT NULL, HEAD VARCHAR(64) NOT NULL, RESULT CLOB NOT NULL)",
                    "CREATE TABLE FLEET_BROKEN (REPOSITORY VARCHAR(512) NOT NULL PRIMARY KEY, "
                            + "BREAKING_COMMIT VARCHAR(64) NOT NULL)"));

    private final DataSource dataSource;

    BuildStore(DataSource dataSource, SchemaMigrator migrator) throws SQLException {
        this.dataSource = dataSource;
        migrator.migrate(COMPONENT, MIGRATIONS);
    }

    void savePlan(Plan plan) throws SQLException {
        update("INSERT INTO FLEET_BUILD (BUILD_KEY, STARTED_AT, PLAN) VALUES (?, ?, ?)", plan.key(),
                java.sql.Timestamp.from(plan.startedAt()), Codec.plan(plan));
    }

    Optional<Plan> plan(String key) throws SQLException {
        return Rows.list(dataSource, "SELECT PLAN FROM FLEET_BUILD WHERE BUILD_KEY = ?", r -> Codec.plan(
                r.getString(1)), key).stream().findFirst();
    }

    /** Keeps (or replaces) a repository's outcome in a build. */
    void saveOutcome(String key, RepositoryOutcome outcome) throws SQLException {
        String json = Codec.outcome(outcome).toString();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                update(c, "DELETE FROM FLEET_BUILD_OUTCOME WHERE BUILD_KEY = ? AND REPOSITORY = ?", key,
                        outcome.name());
                update(c, "INSERT INTO FLEET_BUILD_OUTCOME (BUILD_KEY, REPOSITORY, OUTCOME) VALUES (?, ?, ?)", key,
                        outcome.name(), json);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    List<RepositoryOutcome> outcomes(String key) throws SQLException {
        return Rows.list(dataSource, "SELECT OUTCOME FROM FLEET_BUILD_OUTCOME WHERE BUILD_KEY = ?",
                r -> Codec.outcome(Codec.read(r.getString(1))), key);
    }

    /** @return the check record a task's step left before, if it finished one */
    OptionalLong step(String taskKey, String step) throws SQLException {
        return Rows.list(dataSource, "SELECT CHECK_ID FROM FLEET_BUILD_STEP WHERE TASK_KEY = ? AND STEP = ?",
                r -> r.getLong(1), taskKey, step).stream().mapToLong(Long::longValue).findFirst();
    }

    void saveStep(String taskKey, String step, long checkId) throws SQLException {
        update("INSERT INTO FLEET_BUILD_STEP (TASK_KEY, STEP, CHECK_ID) VALUES (?, ?, ?)", taskKey, step, checkId);
    }

    /** @return the build task that made each of these checks (those no task made are left out), by check id */
    Map<Long, String> runs(List<Long> checkIds) throws SQLException {
        Map<Long, String> runs = new HashMap<>();
        for (int from = 0; from < checkIds.size(); from += 100) {
            List<Long> ids = checkIds.subList(from, Math.min(checkIds.size(), from + 100));
            Rows.list(dataSource, "SELECT CHECK_ID, TASK_KEY FROM FLEET_BUILD_STEP WHERE CHECK_ID IN ("
                    + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")",
                    r -> runs.put(r.getLong(1), r.getString(2)), ids.toArray());
        }
        return runs;
    }

    /** @return the repository's last bisection when it was between these two commits */
    Optional<BreakingCommit> bisection(String repository, String lastGreen, String head) throws SQLException {
        return Rows.list(dataSource, "SELECT RESULT FROM FLEET_BISECTION WHERE REPOSITORY = ? AND LAST_GREEN = ? "
                + "AND HEAD = ?", r -> Codec.breaking(Codec.read(r.getString(1))), repository, lastGreen, head)
                .stream().findFirst();
    }

    /** Keeps a repository's bisection (only its last: a later one is between other commits). */
    void saveBisection(String repository, String lastGreen, String head, BreakingCommit found) throws SQLException {
        replace("FLEET_BISECTION", repository, "INSERT INTO FLEET_BISECTION (REPOSITORY, LAST_GREEN, HEAD, RESULT) "
                + "VALUES (?, ?, ?, ?)", repository, lastGreen, head, Codec.breaking(found).toString());
    }

    /** @return true when the repository was not yet told broken by this commit */
    boolean newlyBroken(String repository, String commit) throws SQLException {
        return Rows.list(dataSource, "SELECT BREAKING_COMMIT FROM FLEET_BROKEN WHERE REPOSITORY = ?",
                r -> r.getString(1), repository).stream().noneMatch(commit::equals);
    }

    /** Keeps that the repository was told broken by this commit ({@code null}: it builds again, forget it). */
    void toldBroken(String repository, String commit) throws SQLException {
        if (commit == null) {
            update("DELETE FROM FLEET_BROKEN WHERE REPOSITORY = ?", repository);
        } else {
            replace("FLEET_BROKEN", repository, "INSERT INTO FLEET_BROKEN (REPOSITORY, BREAKING_COMMIT) VALUES (?, ?)",
                    repository, commit);
        }
    }

    private void replace(String table, String repository, String insert, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                update(c, "DELETE FROM " + table + " WHERE REPOSITORY = ?", repository);
                update(c, insert, values);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** @return the first check of the failure streak last reported unhealthy for the repository */
    OptionalLong alertedStreak(String repository) throws SQLException {
        return Rows.list(dataSource, "SELECT STREAK_START FROM FLEET_HEALTH_ALERT WHERE REPOSITORY = ?",
                r -> r.getLong(1), repository).stream().mapToLong(Long::longValue).findFirst();
    }

    /** @return true when this streak was not recorded before (the caller reports it), false when it was */
    synchronized boolean recordAlert(String repository, long streakStart) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                OptionalLong known = alertedStreak(repository);
                if (known.isPresent() && known.getAsLong() == streakStart) {
                    c.rollback();
                    return false;
                }
                update(c, "DELETE FROM FLEET_HEALTH_ALERT WHERE REPOSITORY = ?", repository);
                update(c, "INSERT INTO FLEET_HEALTH_ALERT (REPOSITORY, STREAK_START) VALUES (?, ?)", repository,
                        streakStart);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            update(c, sql, values);
        }
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }
}
