package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.RepositoryHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A repository's health, computed from its check records of kind {@code build} and {@code test} (bisection probes
 * and other kinds are not its builds; nor are checks that never came to a verdict: see {@link #ordered}). Rates
 * count the checks as they ran. For streaks, recoveries and the last success, a check that failed is a failure, and a
 * success is a passing check that ends its run: a test, or a build with no test after it on the same commit (a build
 * that passed before its tests failed is no success). The failures in a row are counted by run: the failing checks
 * of one build task (its attempts, each retried on the same commit) are one failure, as "builds failing N times in a
 * row" means; a check no build task made is a run of its own.
 */
final class Health {
    static final Set<String> KINDS = Set.of(RepositoryBuilder.BUILD, RepositoryBuilder.TEST);

    private Health() {
    }

    /**
     * @param checks the repository's records, in any order (older than the window too: they tell the last success
     *     and the length of the current failure streak)
     * @param since the window's start
     */
    static RepositoryHealth of(String name, List<CheckRecord> checks, Instant since) {
        return of(name, checks, since, Map.of());
    }

    /** @param runs the build task (any key naming it) of each check a task made, by check id */
    static RepositoryHealth of(String name, List<CheckRecord> checks, Instant since, Map<Long, String> runs) {
        List<CheckRecord> all = ordered(checks);
        int builds = 0;
        int buildsPassed = 0;
        int tests = 0;
        int testsPassed = 0;
        Instant failingSince = null;
        Duration recoveries = Duration.ZERO;
        int recovered = 0;
        Set<String> failedOn = new HashSet<>();
        Set<String> flaky = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            CheckRecord c = all.get(i);
            if (c.startedAt().isBefore(since)) {
                continue;
            }
            boolean build = RepositoryBuilder.BUILD.equals(c.kind());
            builds += build ? 1 : 0;
            tests += build ? 0 : 1;
            String commitAndKind = c.commit() + " " + c.kind();
            if (c.passed()) {
                buildsPassed += build ? 1 : 0;
                testsPassed += build ? 0 : 1;
                if (failingSince != null && success(all, i)) {
                    recoveries = recoveries.plus(Duration.between(failingSince, c.startedAt()));
                    recovered++;
                    failingSince = null;
                }
                if (failedOn.remove(commitAndKind)) {
                    flaky.add(commitAndKind);
                }
            } else {
                failingSince = failingSince == null ? c.startedAt() : failingSince;
                failedOn.add(commitAndKind);
            }
        }
        Instant lastSuccess = null;
        for (int i = 0; i < all.size(); i++) {
            lastSuccess = success(all, i) ? all.get(i).startedAt() : lastSuccess;
        }
        return new RepositoryHealth(name, builds, buildsPassed, tests, testsPassed, lastSuccess,
                recovered == 0 ? null : recoveries.dividedBy(recovered), flaky.size(), failures(streak(all), runs));
    }

    /** @return the failed runs of a streak: its checks, those of one build task counted once */
    static int failures(List<CheckRecord> streak, Map<Long, String> runs) {
        return (int) streak.stream().map(c -> runs.getOrDefault(c.id(), "check " + c.id())).distinct().count();
    }

    /** @return the failing checks since the newest success, oldest first */
    static List<CheckRecord> streak(List<CheckRecord> checks) {
        List<CheckRecord> all = ordered(checks);
        List<CheckRecord> streak = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && !success(all, i); i--) {
            if (!all.get(i).passed()) {
                streak.add(0, all.get(i));
            }
        }
        return streak;
    }

    // A passing check that ends its run: not a build whose tests ran next on the same commit.
    private static boolean success(List<CheckRecord> all, int i) {
        CheckRecord c = all.get(i);
        if (!c.passed()) {
            return false;
        }
        if (i + 1 < all.size() && RepositoryBuilder.BUILD.equals(c.kind())) {
            CheckRecord next = all.get(i + 1);
            return !(RepositoryBuilder.TEST.equals(next.kind()) && next.commit().equals(c.commit()));
        }
        return true;
    }

    // Build and test checks that came to a verdict, oldest first (the id breaks ties: it grows with each record).
    // One with an error never got to one (the runtime stopped under it, isolation refused, no such commit): it says
    // nothing of the repository. A timed-out check did get one: the build hung.
    private static List<CheckRecord> ordered(List<CheckRecord> checks) {
        return checks.stream().filter(c -> KINDS.contains(c.kind()) && c.error() == null)
                .sorted(Comparator.comparing(CheckRecord::startedAt).thenComparingLong(CheckRecord::id)).toList();
    }
}
