package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.RepositoryOutcome.BreakingCommit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the commit that broke a repository: between its last green commit (build and tests passed there) and the
 * commit that fails now, the first-parent commits are searched by halves, each probe a build-then-test run in the
 * sandbox, until the first failing one is known. About log2(n) probes for n commits.
 */
final class Bisection {
    /** How many of a repository's newest check records are looked at for its last green commit. */
    static final int HISTORY = 2000;

    /** Runs a probe: the repository's build then its tests on one commit; returns the check record. */
    @FunctionalInterface
    interface Probe {
        CheckRecord run(String commit) throws Exception;
    }

    private Bisection() {
    }

    /**
     * @param hasTests whether the repository has a test command (else a passed build is green)
     * @param before null, or a commit the green one must be an ancestor of and differ from
     * @return the newest commit whose build and tests passed
     */
    static Optional<String> lastGreen(CheckHistory history, String repository, String path, boolean hasTests,
            String before) throws IOException {
        Map<String, boolean[]> passed = new LinkedHashMap<>(); // commit -> {build passed, test passed}, newest first
        List<CheckRecord> checks = new ArrayList<>(history.checks(repository, HISTORY));
        checks.sort(Comparator.comparing(CheckRecord::startedAt).thenComparingLong(CheckRecord::id).reversed());
        for (CheckRecord c : checks) {
            boolean[] p = passed.computeIfAbsent(c.commit(), k -> new boolean[2]);
            if (c.passed() && RepositoryBuilder.BUILD.equals(c.kind())) {
                p[0] = true;
            } else if (c.passed() && RepositoryBuilder.TEST.equals(c.kind())) {
                p[1] = true;
            }
        }
        for (Map.Entry<String, boolean[]> e : passed.entrySet()) {
            boolean green = e.getValue()[0] && (e.getValue()[1] || !hasTests);
            if (green && (before == null
                    || !e.getKey().equals(before) && Git.isAncestor(path, e.getKey(), before))) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * @param green a commit that passed
     * @param broken a later commit that fails (not probed again)
     * @return the first failing commit after {@code green} on the first-parent line to {@code broken}
     */
    static BreakingCommit locate(String path, String green, String broken, Probe probe) throws Exception {
        List<String> commits = Git.firstParents(path, green, broken);
        if (commits.isEmpty() || !commits.get(commits.size() - 1).equals(broken)) {
            throw new IOException(path + ": " + broken + " does not follow " + green + " on its first-parent line");
        }
        List<Long> checks = new ArrayList<>();
        int good = -1; // index of the newest commit known to pass (-1: green itself)
        int bad = commits.size() - 1; // index of the oldest commit known to fail
        while (bad - good > 1) {
            int mid = (good + bad) >>> 1;
            CheckRecord r = probe.run(commits.get(mid));
            checks.add(r.id());
            if (r.passed()) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        String first = commits.get(bad);
        String[] authorAndSubject = Git.authorAndSubject(path, first);
        return new BreakingCommit(first, authorAndSubject[0], authorAndSubject[1], green, checks);
    }
}
