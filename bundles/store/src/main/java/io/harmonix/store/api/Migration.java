package io.harmonix.store.api;

import java.util.List;
import java.util.Objects;

/**
 * One versioned step of a component's schema: SQL statements applied together, in one transaction, once.
 *
 * @param version the step's number, from 1, contiguous within a component
 * @param description what it does, recorded with it
 * @param statements the SQL statements, in order (no trailing ';')
 */
public record Migration(int version, String description, List<String> statements) {
    public Migration {
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1; was " + version);
        }
    }

    public static Migration of(int version, String description, String... statements) {
        return new Migration(version, description, List.of(statements));
    }
}
