package io.harmonix.store.api;

import java.sql.SQLException;

/** A migration step failed; the database was left as it was before that step. */
public class MigrationException extends SQLException {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message, SQLException cause) {
        super(message, cause == null ? null : cause.getSQLState(), cause);
    }
}
