package io.harmonix.waves.internal;

import io.harmonix.store.api.Migration;
import java.util.List;

/**
 * The coordinator's schema, applied through the store's schema migrator as component {@value #COMPONENT}.
 *
 * <p>Ownership is the primary key of {@code WAVE_LEASE}: one row per (target, component), so that the database, not
 * a check before an insert, decides between two instances claiming the same component at once. The key is the
 * SHA-256 of the target and component (paths can be longer than an index key may be).
 *
 * <p>A cycle of a wave is aggregated once over all its runs: the runtime that inserts its {@code WAVE_CYCLE} row
 * (the primary key lets one) records its findings, conflicts and proposals in the same transaction.
 */
final class WaveTables {
    static final String COMPONENT = "waves";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "waves, their instances, component leases, "
            + "merged findings, conflicts and proposals, infinite-mode series",
            "CREATE TABLE WAVE (ID VARCHAR(32) NOT NULL PRIMARY KEY, TARGET VARCHAR(4000) NOT NULL, "
                    + "WAVE_SIZE VARCHAR(16) NOT NULL, FOCUS VARCHAR(32), COMPONENTS VARCHAR(32000) NOT NULL, "
                    + "STATUS VARCHAR(16) NOT NULL, RUN_ID VARCHAR(200), CYCLES INT NOT NULL, SERIES VARCHAR(32), "
                    + "STARTED_AT TIMESTAMP NOT NULL, ENDED_AT TIMESTAMP, MESSAGE VARCHAR(2000))",
            "CREATE TABLE WAVE_INSTANCE (AGENT_ID VARCHAR(200) NOT NULL PRIMARY KEY, WAVE_ID VARCHAR(32) NOT NULL, "
                    + "AGENT_TYPE VARCHAR(32) NOT NULL, CONFIG_NAME VARCHAR(100) NOT NULL, "
                    + "COMPONENTS VARCHAR(32000) NOT NULL, DOING VARCHAR(200) NOT NULL)",
            "CREATE INDEX WAVE_INSTANCE_BY_WAVE ON WAVE_INSTANCE (WAVE_ID)",
            "CREATE TABLE WAVE_LEASE (LEASE_KEY CHAR(64) NOT NULL PRIMARY KEY, TARGET VARCHAR(4000) NOT NULL, "
                    + "COMPONENT VARCHAR(4000) NOT NULL, AGENT_ID VARCHAR(200) NOT NULL, WAVE_ID VARCHAR(32) NOT NULL, "
                    + "EXPIRES_AT TIMESTAMP NOT NULL)",
            "CREATE INDEX WAVE_LEASE_BY_AGENT ON WAVE_LEASE (AGENT_ID)",
            "CREATE TABLE WAVE_FINDING (WAVE_ID VARCHAR(32) NOT NULL, FINGERPRINT VARCHAR(100) NOT NULL, "
                    + "RULE_ID VARCHAR(200) NOT NULL, SEVERITY VARCHAR(16) NOT NULL, FILE_PATH VARCHAR(4000) NOT NULL, "
                    + "LINE INT NOT NULL, MESSAGE VARCHAR(4000) NOT NULL, SOURCES VARCHAR(4000) NOT NULL, "
                    + "CYCLE BIGINT NOT NULL, PRIMARY KEY (WAVE_ID, FINGERPRINT))",
            "CREATE TABLE WAVE_CONFLICT (SEQ BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "WAVE_ID VARCHAR(32) NOT NULL, CYCLE BIGINT NOT NULL, KIND VARCHAR(16) NOT NULL, "
                    + "WINNER VARCHAR(100), LOSER VARCHAR(100) NOT NULL, AGENT_ID VARCHAR(200) NOT NULL, "
                    + "RESOLUTION VARCHAR(4000) NOT NULL)",
            "CREATE INDEX WAVE_CONFLICT_BY_WAVE ON WAVE_CONFLICT (WAVE_ID)",
            "CREATE TABLE WAVE_PROPOSAL (WAVE_ID VARCHAR(32) NOT NULL, FINGERPRINT VARCHAR(100) NOT NULL, "
                    + "CYCLE BIGINT NOT NULL, AGENT_ID VARCHAR(200) NOT NULL, TITLE VARCHAR(2000) NOT NULL, "
                    + "ENHANCEMENT_ID VARCHAR(100), STATUS VARCHAR(2000) NOT NULL, PRIMARY KEY (WAVE_ID, FINGERPRINT))",
            "CREATE TABLE WAVE_SERIES (ID VARCHAR(32) NOT NULL PRIMARY KEY, TARGET VARCHAR(4000) NOT NULL, "
                    + "THROTTLE INT NOT NULL, INTERVAL_MS BIGINT NOT NULL, STATUS VARCHAR(16) NOT NULL, "
                    + "STARTED_AT TIMESTAMP NOT NULL, ENDED_AT TIMESTAMP, LAST_DECISION VARCHAR(2000))"),
            Migration.of(2, "a wave of one run per instance: each instance's run, a stop requested in the wave's row "
                    + "(acted on by the runtimes driving its runs), the cycles of a wave aggregated once",
                    "ALTER TABLE WAVE_INSTANCE ADD COLUMN RUN_ID VARCHAR(200)",
                    // the waves of before were one run of all their instances: that run is each instance's
                    "UPDATE WAVE_INSTANCE SET RUN_ID = (SELECT W.RUN_ID FROM WAVE W "
                            + "WHERE W.ID = WAVE_INSTANCE.WAVE_ID)",
                    "CREATE INDEX WAVE_INSTANCE_BY_RUN ON WAVE_INSTANCE (RUN_ID)",
                    "ALTER TABLE WAVE ADD COLUMN STOP_REQUESTED TIMESTAMP",
                    "CREATE TABLE WAVE_CYCLE (WAVE_ID VARCHAR(32) NOT NULL, CYCLE BIGINT NOT NULL, "
                            + "AGGREGATED_AT TIMESTAMP NOT NULL, PRIMARY KEY (WAVE_ID, CYCLE))"));

    private WaveTables() {
    }
}
