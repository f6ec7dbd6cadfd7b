package io.harmonix.agent.security.internal.deps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OSV range semantics with each ecosystem's version order. */
class VersionsTest {
    private static Advisory.Affected maven(List<Advisory.Event> events, String... versions) {
        return new Advisory.Affected("Maven", "g:a", List.of(new Advisory.Range("ECOSYSTEM", events)),
                List.of(versions));
    }

    private static Advisory.Event e(String kind, String version) {
        return new Advisory.Event(kind, version);
    }

    @Test
    void introducedIsInclusiveAndFixedExclusive() {
        var a = maven(List.of(e("introduced", "2.0-beta9"), e("fixed", "2.15.0")));
        assertFalse(Versions.affects(a, "2.0-beta8"));
        assertTrue(Versions.affects(a, "2.0-beta9"));
        assertTrue(Versions.affects(a, "2.0-rc1"), "Maven orders beta < rc < release");
        assertTrue(Versions.affects(a, "2.14.1"));
        assertFalse(Versions.affects(a, "2.15.0"));
        assertFalse(Versions.affects(a, "2.17.1"));
        assertEquals(Optional.of("2.15.0"), Versions.fixedFor(a, "2.14.1"));
    }

    @Test
    void lastAffectedIsInclusive() {
        var a = maven(List.of(e("introduced", "0"), e("last_affected", "1.4")));
        assertTrue(Versions.affects(a, "1.0"));
        assertTrue(Versions.affects(a, "1.4"));
        assertFalse(Versions.affects(a, "1.4.1"));
        assertEquals(Optional.of(""), Versions.fixedFor(a, "1.0"), "no fixed version named");
    }

    @Test
    void introducedZeroIsBeforeEveryVersionAndSeveralRangesAreEachChecked() {
        var a = new Advisory.Affected("Maven", "g:a", List.of(
                new Advisory.Range("ECOSYSTEM", List.of(e("introduced", "0"), e("fixed", "2.12.6.1"))),
                new Advisory.Range("ECOSYSTEM", List.of(e("introduced", "2.13.0"), e("fixed", "2.13.2.1")))),
                List.of());
        assertTrue(Versions.affects(a, "1.0"));
        assertTrue(Versions.affects(a, "2.12.6"));
        assertFalse(Versions.affects(a, "2.12.6.1"));
        assertTrue(Versions.affects(a, "2.13.1"));
        assertEquals(Optional.of("2.13.2.1"), Versions.fixedFor(a, "2.13.1"));
        assertFalse(Versions.affects(a, "2.13.2.1"));
    }

    @Test
    void eventsOutOfOrderAreSortedFirst() {
        var a = maven(List.of(e("fixed", "1.10.0"), e("introduced", "1.5")));
        assertTrue(Versions.affects(a, "1.9"));
        assertFalse(Versions.affects(a, "1.4"));
    }

    @Test
    void aVersionsListMatchesExactlyInTheEcosystemsOrder() {
        var a = maven(List.of(), "1.2.0", "1.3");
        assertTrue(Versions.affects(a, "1.2"), "Maven: 1.2 and 1.2.0 are the same version");
        assertTrue(Versions.affects(a, "1.3"));
        assertFalse(Versions.affects(a, "1.2.1"));
    }

    @Test
    void npmUsesSemverOrder() {
        var a = new Advisory.Affected("npm", "lodash", List.of(new Advisory.Range("SEMVER", List.of(
                e("introduced", "0"), e("fixed", "4.17.21")))), List.of());
        assertTrue(Versions.affects(a, "4.17.20"));
        assertTrue(Versions.affects(a, "4.17.21-beta.1"), "a pre-release comes before its release");
        assertFalse(Versions.affects(a, "4.17.21"));
        assertFalse(Versions.affects(a, "4.18.0"));
        assertTrue(Versions.order("npm").compare("1.10.0", "1.9.0") > 0);
    }

    @Test
    void gitRangesAreNotVersions() {
        var a = new Advisory.Affected("npm", "x", List.of(new Advisory.Range("GIT", List.of(
                e("introduced", "0"), e("fixed", "abc123")))), List.of());
        assertFalse(Versions.affects(a, "1.0.0"));
    }

    @Test
    void severityComesFromTheDatabaseOrACvssScore() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(Severity.MEDIUM, OsvReader.severity(json.readTree(
                "{\"database_specific\": {\"severity\": \"MODERATE\"}}")));
        assertEquals(Severity.CRITICAL, OsvReader.severity(json.readTree(
                "{\"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"9.8\"}]}")));
        assertEquals(Severity.HIGH, OsvReader.severity(json.readTree("{}")), "unknown is taken as high");
    }
}
