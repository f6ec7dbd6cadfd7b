package io.harmonix.agent.security.internal.deps;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks resolved dependencies against the stored advisories. One instance per scan: it asks the store once per
 * package.
 */
public final class DependencyCheck {
    /**
     * A dependency an advisory affects.
     *
     * @param fixed the version that fixes it, "" when the advisory names none
     */
    public record Hit(Dependency dependency, Advisory advisory, String fixed) {
    }

    private final AdvisoryStore store;
    private final Map<String, List<Advisory>> byPackage = new HashMap<>();

    public DependencyCheck(AdvisoryStore store) {
        this.store = store;
    }

    /**
     * @param d a resolved dependency
     * @return the advisories that affect its version
     * @throws IllegalArgumentException when its version cannot be compared in its ecosystem
     */
    public List<Hit> check(Dependency d) throws SQLException {
        List<Hit> hits = new ArrayList<>();
        String key = DerbyAdvisories.ecosystem(d.ecosystem()) + "\n" + d.name();
        List<Advisory> advisories = byPackage.get(key);
        if (advisories == null) {
            advisories = store.forPackage(d.ecosystem(), d.name());
            byPackage.put(key, advisories);
        }
        for (Advisory a : advisories) {
            for (Advisory.Affected affected : a.affected()) {
                if (!affected.ecosystem().equalsIgnoreCase(d.ecosystem()) || !affected.name().equals(d.name())) {
                    continue;
                }
                Optional<String> fixed = Versions.fixedFor(affected, d.version());
                if (fixed.isPresent()) {
                    hits.add(new Hit(d, a, fixed.get()));
                    break;
                }
            }
        }
        return hits;
    }
}
