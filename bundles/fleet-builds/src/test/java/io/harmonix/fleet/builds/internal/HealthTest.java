package io.harmonix.fleet.builds.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Isolation;
import io.harmonix.fleet.api.RepositoryHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health figures from a sequence of check records, as the executor stores them. */
class HealthTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private final List<CheckRecord> checks = new ArrayList<>();

    @Test
    void ratesLastSuccessRecoveryFlakinessAndStreak() {
        check(0, "c1", "build", 0);
        check(1, "c1", "test", 0);
        check(60, "c2", "build", 0);
        check(61, "c2", "test", 1); // test fails on c2...
        check(70, "c2", "build", 0);
        check(71, "c2", "test", 0); // ...and passes on a retry: flaky, recovered when the test passed, after 10 s
        check(120, "c3", "build", 2); // broken from here
        check(130, "c3", "build", 2);
        check(400, "c4", "build", 0); // not yet a success: its tests come next
        check(401, "c4", "test", 0); // recovered after 281 s
        check(500, "c5", "build", 1);
        check(510, "c5", "build", 1);
        check(520, "c5", "bisect", 1); // bisection probes are not the repository's builds
        Collections.shuffle(checks); // the order of the records given does not matter
        RepositoryHealth h = Health.of("lib", checks, T0);
        assertEquals(8, h.builds());
        assertEquals(4, h.buildsPassed());
        assertEquals(4, h.tests());
        assertEquals(3, h.testsPassed());
        assertEquals(T0.plusSeconds(401), h.lastSuccess());
        assertEquals(Duration.ofMillis((10_000 + 281_000) / 2), h.meanTimeToRecovery());
        assertEquals(1, h.flaky());
        assertEquals(2, h.consecutiveFailures());
        assertEquals(0.5, h.buildSuccessRate(), 1e-9);
    }

    @Test
    void theWindowLimitsTheRatesButNotTheStreakOrTheLastSuccess() {
        check(0, "c1", "build", 0);
        check(10, "c2", "build", 1);
        check(20, "c2", "build", 1);
        check(30, "c2", "build", 1);
        RepositoryHealth h = Health.of("lib", checks, T0.plusSeconds(15));
        assertEquals(2, h.builds());
        assertEquals(0, h.buildsPassed());
        assertEquals(0.0, h.buildSuccessRate());
        assertEquals(-1.0, h.testSuccessRate(), "no test in the window");
        assertEquals(T0, h.lastSuccess());
        assertEquals(3, h.consecutiveFailures());
        assertNull(h.meanTimeToRecovery(), "no recovery yet");
        assertEquals(List.of(2L, 3L, 4L), Health.streak(checks).stream().map(CheckRecord::id).toList());
    }

    @Test
    void aFailureOnOneCommitThenAPassOnAnotherIsARecoveryNotFlakiness() {
        check(0, "c1", "test", 1);
        check(5, "c2", "test", 0);
        RepositoryHealth h = Health.of("lib", checks, T0);
        assertEquals(0, h.flaky());
        assertEquals(Duration.ofSeconds(5), h.meanTimeToRecovery());
        assertEquals(0, h.consecutiveFailures());
    }

    @Test
    void testsFailingAfterPassingBuildsMakeAStreakTheBuildsDoNotBreak() {
        for (int i = 0; i < 3; i++) {
            check(10 * i, "c1", "build", 0);
            check(10 * i + 1, "c1", "test", 1);
        }
        RepositoryHealth h = Health.of("lib", checks, T0);
        assertEquals(3, h.consecutiveFailures());
        assertNull(h.lastSuccess(), "a build whose tests then failed is no success");
        assertEquals(List.of(2L, 4L, 6L), Health.streak(checks).stream().map(CheckRecord::id).toList());
        assertEquals(3, h.buildsPassed(), "the rates count each check as it ran");
    }

    @Test
    void aTimedOutCheckIsAFailureOneThatNeverRanIsNothing() {
        checks.add(new CheckRecord(1, "lib", "c1", "build", "sh build.sh", T0, Duration.ofSeconds(60), null, true,
                Isolation.SANDBOX, "", false, null));
        checks.add(new CheckRecord(2, "lib", "c1", "build", "sh build.sh", T0.plusSeconds(61), Duration.ZERO, null,
                false, Isolation.NONE, "", false, "the runtime stopped while it ran"));
        RepositoryHealth h = Health.of("lib", checks, T0);
        assertEquals(1, h.consecutiveFailures(), "the timed-out one");
        assertEquals(1, h.builds(), "the one the runtime's stop cut is not counted");
        assertNull(h.lastSuccess());
    }

    private void check(int second, String commit, String kind, int exit) {
        checks.add(new CheckRecord(checks.size() + 1, "lib", commit, kind, "sh " + kind + ".sh",
                T0.plusSeconds(second), Duration.ofMillis(100), exit, false, Isolation.SANDBOX, "", false, null));
    }
}
