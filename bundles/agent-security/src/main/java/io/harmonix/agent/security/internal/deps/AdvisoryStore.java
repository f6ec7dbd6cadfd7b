package io.harmonix.agent.security.internal.deps;

import java.sql.SQLException;
import java.util.List;

/** The advisories imported into the runtime's database, by package. A service of this bundle only. */
public interface AdvisoryStore {
    /**
     * Stores advisories; one with the id of a stored one replaces it, so importing the same dump twice changes
     * nothing. A withdrawn one removes the stored one of its id.
     *
     * @return how many were stored
     */
    int save(List<Advisory> advisories) throws SQLException;

    /** @return the advisories that name {@code name} of {@code ecosystem} (case of the ecosystem ignored) */
    List<Advisory> forPackage(String ecosystem, String name) throws SQLException;

    /**
     * @param ecosystem only this ecosystem; null for all
     * @param name only this package; null for all
     * @return the stored advisories, by id
     */
    List<Advisory> list(String ecosystem, String name) throws SQLException;
}
