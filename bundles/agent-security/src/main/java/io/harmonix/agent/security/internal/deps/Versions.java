package io.harmonix.agent.security.internal.deps;

import java.util.Comparator;
import java.util.Optional;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.semver4j.Semver;

/**
 * Whether a version is affected by an advisory, with each ecosystem's own ordering: Maven's
 * {@link ComparableVersion} (so {@code 2.0-beta9 < 2.0-rc1 < 2.0 < 2.0.1}) and semver for npm. Ranges follow the
 * OSV evaluation: events sorted by version, {@code introduced} inclusive ({@code "0"} is before everything),
 * {@code fixed} and {@code limit} exclusive, {@code last_affected} inclusive.
 */
public final class Versions {
    private Versions() {
    }

    /**
     * @param ecosystem {@code Maven} or {@code npm}
     * @return the order of versions in that ecosystem; a version npm cannot read is compared after coercion
     *     ({@code v1.2} as {@code 1.2.0})
     */
    public static Comparator<String> order(String ecosystem) {
        if ("npm".equalsIgnoreCase(ecosystem)) {
            return (a, b) -> semver(a).compareTo(semver(b));
        }
        return (a, b) -> new ComparableVersion(a).compareTo(new ComparableVersion(b));
    }

    /** @return whether {@code version} of a package in {@code ecosystem} is one {@code affected} names */
    public static boolean affects(Advisory.Affected affected, String version) {
        return fixedFor(affected, version).isPresent();
    }

    /**
     * @return empty when {@code version} is not affected; otherwise the version that fixes it ("" when the
     *     advisory names none)
     */
    public static Optional<String> fixedFor(Advisory.Affected affected, String version) {
        Comparator<String> order = order(affected.ecosystem());
        for (String v : affected.versions()) {
            if (order.compare(v, version) == 0) {
                return Optional.of(firstFixedAbove(affected, version, order));
            }
        }
        for (Advisory.Range range : affected.ranges()) {
            if ("GIT".equalsIgnoreCase(range.type())) {
                continue;
            }
            if (inRange(range, version, order)) {
                return Optional.of(firstFixedAbove(range, version, order));
            }
        }
        return Optional.empty();
    }

    static boolean inRange(Advisory.Range range, String version, Comparator<String> order) {
        var events = range.events().stream().sorted((a, b) -> compareEvents(a, b, order)).toList();
        boolean affected = false;
        for (Advisory.Event e : events) {
            switch (e.kind()) {
                case "introduced" -> {
                    if (isZero(e.version()) || order.compare(version, e.version()) >= 0) {
                        affected = true;
                    }
                }
                case "fixed", "limit" -> {
                    if (order.compare(version, e.version()) >= 0) {
                        affected = false;
                    }
                }
                case "last_affected" -> {
                    if (order.compare(version, e.version()) > 0) {
                        affected = false;
                    }
                }
                default -> {
                }
            }
        }
        return affected;
    }

    private static int compareEvents(Advisory.Event a, Advisory.Event b, Comparator<String> order) {
        if (isZero(a.version()) || isZero(b.version())) {
            return Boolean.compare(!isZero(a.version()), !isZero(b.version()));
        }
        return order.compare(a.version(), b.version());
    }

    private static boolean isZero(String v) {
        return "0".equals(v);
    }

    private static String firstFixedAbove(Advisory.Affected affected, String version, Comparator<String> order) {
        String best = "";
        for (Advisory.Range r : affected.ranges()) {
            String f = firstFixedAbove(r, version, order);
            if (!f.isEmpty() && (best.isEmpty() || order.compare(f, best) < 0)) {
                best = f;
            }
        }
        return best;
    }

    private static String firstFixedAbove(Advisory.Range range, String version, Comparator<String> order) {
        String best = "";
        for (Advisory.Event e : range.events()) {
            if ("fixed".equals(e.kind()) && order.compare(e.version(), version) > 0
                    && (best.isEmpty() || order.compare(e.version(), best) < 0)) {
                best = e.version();
            }
        }
        return best;
    }

    private static Semver semver(String v) {
        Semver s = Semver.parse(v.startsWith("v") ? v.substring(1) : v);
        if (s == null) {
            s = Semver.coerce(v);
        }
        if (s == null) {
            throw new IllegalArgumentException("'" + v + "' is not a version npm can compare");
        }
        return s;
    }
}
