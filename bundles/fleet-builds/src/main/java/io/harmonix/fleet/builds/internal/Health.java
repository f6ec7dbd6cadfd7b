package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.RepositoryHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A repository's health, computed from its check records of kind {@code build} and {@code test} (bisection probes
 * and other kinds are not its builds). A check that failed and one that passed are counted as they ran: a retry is a
 * check too, so a broken build retried twice is three failures in a row.
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
        for (CheckRecord c : all) {
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
                if (failingSince != null) {
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
        for (CheckRecord c : all) {
            lastSuccess = c.passed() ? c.startedAt() : lastSuccess;
        }
        return new RepositoryHealth(name, builds, buildsPassed, tests, testsPassed, lastSuccess,
                recovered == 0 ? null : recoveries.dividedBy(recovered), flaky.size(), streak(all).size());
    }

    /** @return the failing checks since the newest passing one, oldest first */
    static List<CheckRecord> streak(List<CheckRecord> checks) {
        List<CheckRecord> all = ordered(checks);
        List<CheckRecord> streak = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && !all.get(i).passed(); i--) {
            streak.add(0, all.get(i));
        }
        return streak;
    }

    // Build and test checks, oldest first (the id breaks ties: it grows with each record)
    private static List<CheckRecord> ordered(List<CheckRecord> checks) {
        return checks.stream().filter(c -> KINDS.contains(c.kind()))
                .sorted(Comparator.comparing(CheckRecord::startedAt).thenComparingLong(CheckRecord::id)).toList();
    }
}
