package io.harmonix.cluster.internal;

import io.harmonix.store.api.Migration;
import java.util.List;

/**
 * The cluster's schema, applied through the store's schema migrator as component {@value #COMPONENT}.
 *
 * <p>A lease is the primary key of {@code CLUSTER_LEASE}: one row per key of work, so that the database, not a
 * check before a write, decides between two nodes claiming one key at once (the conditional UPDATE of one of them
 * finds the row changed by the other; two INSERTs meet on the key). Times are written by the database's own clock.
 */
final class ClusterTables {
    static final String COMPONENT = "cluster";
    static final List<Migration> MIGRATIONS = List.of(Migration.of(1, "nodes with their heartbeats, leases on keys of "
            + "work",
            "CREATE TABLE CLUSTER_NODE (NODE_ID VARCHAR(64) NOT NULL PRIMARY KEY, INCARNATION CHAR(32) NOT NULL, "
                    + "HOST VARCHAR(255) NOT NULL, STARTED_AT TIMESTAMP NOT NULL, LAST_SEEN TIMESTAMP NOT NULL)",
            "CREATE TABLE CLUSTER_LEASE (LEASE_KEY VARCHAR(400) NOT NULL PRIMARY KEY, OWNER VARCHAR(64), "
                    + "EXPIRES_AT TIMESTAMP NOT NULL)",
            "CREATE INDEX CLUSTER_LEASE_BY_OWNER ON CLUSTER_LEASE (OWNER)"));

    /** The SQL state of a duplicate key, in Derby and PostgreSQL alike. */
    static final String DUPLICATE = "23505";

    private ClusterTables() {
    }

    /**
     * @return the database's clock {@code seconds} from now, as SQL: the JDBC escape {@code TIMESTAMPADD}, which
     *     Derby and the PostgreSQL driver each translate into their own interval arithmetic
     */
    static String inSeconds(long seconds) {
        return "{fn TIMESTAMPADD(SQL_TSI_SECOND, " + seconds + ", CURRENT_TIMESTAMP)}";
    }
}
