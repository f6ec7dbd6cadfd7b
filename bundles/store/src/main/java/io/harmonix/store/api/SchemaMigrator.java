package io.harmonix.store.api;

import java.sql.SQLException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Applies a component's schema migrations to the runtime's database. Each migration runs once, in its own
 * transaction (DDL included), and is recorded in {@code HARMONIX_SCHEMA_HISTORY} with its checksum; concurrent
 * callers are serialized, so that two bundles starting together never apply a step twice.
 */
@ProviderType
public interface SchemaMigrator {
    /**
     * Brings {@code component}'s schema up to its last migration before the database is used: now when it is up;
     * when the runtime's Derby store has not booted it yet, at its boot (the first use of its DataSource), before the
     * first connection is handed out. A database folder that cannot be written (read-only, full) is refused now,
     * so that the caller's activation fails with the reason either way.
     *
     * @param component a name of the schema's owner, e.g. "state"
     * @param migrations the component's migrations, versions 1..n in order
     * @return the versions applied now (empty when already up to date, or when they wait for the boot)
     * @throws MigrationException naming the component, version and statement that failed; the database is as it
     *     was before that step; or when an applied step's statements changed since it was applied
     */
    List<Integer> migrate(String component, List<Migration> migrations) throws SQLException;

    /** @return every applied step, oldest first */
    List<AppliedMigration> history() throws SQLException;

    /**
     * A recorded step.
     *
     * @param component owner
     * @param version step
     * @param description what it did
     * @param checksum SHA-256 of its statements
     * @param appliedAt when, ISO-8601
     */
    record AppliedMigration(String component, int version, String description, String checksum, String appliedAt) {
    }
}
