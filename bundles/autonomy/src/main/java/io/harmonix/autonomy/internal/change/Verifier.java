package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.config.api.Durations;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.SandboxExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * VERIFY: the candidate is the change on the repository's current main (its own tree when main has not moved, else
 * its diff applied three-way on main), committed on main as the bot with a {@code TAP-DECISION} trailer, kept at
 * {@code refs/harmonix/candidates/<id>}; every required check runs in the sandboxed executor on exactly that SHA. A
 * check with no command (missing), one that never started, failed, timed out (killed at its limit) or ran on another
 * SHA is red.
 *
 * <p>The trailer is on the candidate before any check runs, so that the commit SHIP fast-forwards main to is the very
 * commit the checks ran on (a trailer added at ship time would make a new commit that no check record names). It
 * names a {@code candidate} decision recorded first, which says what the candidate is (change, base, tree); the ship
 * decision that later allows it names both that decision and the candidate's SHA.
 */
final class Verifier {
    static final String CANDIDATES = "refs/harmonix/candidates/";

    private final Parts parts;

    Verifier(Parts parts) {
        this.parts = parts;
    }

    ChangeStore.Stored verify(long id, String runId) {
        ChangeStore.Stored s = Changes.sql(() -> parts.store().get(id))
                .orElseThrow(() -> new NoSuchElementException("no change request " + id));
        if (s.state() == ChangeState.SHIPPED || s.state() == ChangeState.CLOSED) {
            throw new IllegalStateException("change request " + id + " is " + s.state() + ": nothing to verify");
        }
        Repository repository = parts.repository(s.request().repo());
        Git git = parts.git(s.request().repo());
        try {
            String main = git.main();
            String candidate;
            try {
                candidate = candidate(git, s, main, runId);
            } catch (Commits.Conflict c) {
                return record(s, runId, main, null, List.of(), "the change does not apply on main "
                        + main.substring(0, 12) + ": " + c.getMessage());
            }
            String ref = CANDIDATES + id;
            String old = git.commit(ref);
            String why = Commits.compareAndSwap(git, ref, candidate, old == null ? Git.ZERO : old,
                    "harmonix: candidate of change " + id);
            if (why != null) {
                throw new IOException("candidate ref " + ref + " not moved: " + why);
            }
            List<ChangeStore.Check> checks = new ArrayList<>();
            for (String name : parts.settings().get().checks().of(repository.name())) {
                checks.add(run(repository, name, candidate));
            }
            List<String> red = checks.stream().filter(k -> !k.green()).map(k -> k.name() + " (" + k.detail() + ")")
                    .toList();
            return record(s, runId, main, candidate, checks, red.isEmpty() ? "" : "red: " + String.join("; ", red));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the commit to check: the branch's tree when it was made on main as it is, else the change re-applied on
     *     main; a new commit on main either way, carrying the trailer of the candidate decision recorded first
     */
    private String candidate(Git git, ChangeStore.Stored s, String main, String runId)
            throws IOException, Commits.Conflict {
        String base = s.request().baseCommit();
        String head = s.request().headCommit();
        String tree = main.equals(base) ? git.call("rev-parse", head + "^{tree}")
                : Commits.tree(git, main, List.of(new Commits.Patch(s.request().itemIds().get(0),
                        Commits.diff(git, base, head))));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("change", s.id());
        inputs.put("repo", s.request().repo());
        inputs.put("items", String.join(",", s.request().itemIds()));
        inputs.put("risk", s.request().risk().json());
        inputs.put("head_commit", head);
        inputs.put("main", main);
        inputs.put("tree", tree);
        DecisionLog log = parts.decisionLog();
        Decision d = log.record("candidate", Shipper.policies(log, List.of("P-001", "P-003", "G-08")), inputs,
                "allowed", List.of("tree " + tree.substring(0, 12) + " on main " + main.substring(0, 12) + " is the "
                        + "candidate: its required checks run on the commit that carries this decision's trailer, "
                        + "and only that commit may ship"), runId);
        Changes.sql(() -> {
            parts.store().addDecision(s.id(), d.id());
            return parts.store().update(s.id(), null, Map.of("CANDIDATE_DECISION", d.id()));
        });
        String message = Commits.message(git, head).strip() + "\n" + log.trailer(d) + "\n";
        return Commits.commitTree(git, tree, main, parts.mask(message), parts.bot());
    }

    private ChangeStore.Check run(Repository repository, String name, String candidate) {
        String command = parts.settings().get().checks().command(repository, name);
        if (command == null) {
            return new ChangeStore.Check(name, candidate, null, false, "missing: no command for check '" + name
                    + "' in " + repository.name() + " (requiredChecks/checkCommands)");
        }
        SandboxExecutor executor = parts.executor().get();
        if (executor == null) {
            return new ChangeStore.Check(name, candidate, null, false, "never started: no sandboxed executor");
        }
        CheckRecord r = executor.execute(new ExecutionRequest(repository.name(), repository.path(), candidate,
                "verify:" + name, command, parts.settings().get().checkTimeout(), Map.of()));
        boolean sameSha = candidate.equals(r.commit());
        String detail;
        if (r.error() != null) {
            detail = "never ran: " + r.error();
        } else if (r.timedOut()) {
            detail = "timed out after " + Durations.format(r.duration()) + ", killed";
        } else if (r.exitCode() == null) {
            detail = "killed";
        } else if (!sameSha) {
            detail = "ran on " + r.commit() + ", not on " + candidate;
        } else {
            detail = "exit " + r.exitCode();
        }
        return new ChangeStore.Check(name, candidate, r.id(), r.passed() && sameSha, parts.mask(detail));
    }

    /** Stores the verification's outcome: the state it leads to, the candidate, its base and its checks. */
    private ChangeStore.Stored record(ChangeStore.Stored s, String runId, String main, String candidate,
            List<ChangeStore.Check> checks, String verdict) {
        String note = verdict;
        boolean green = candidate != null && checks.stream().allMatch(ChangeStore.Check::green);
        ChangeState next;
        if (s.state() == ChangeState.DRAFT) {
            next = ChangeState.DRAFT;
        } else if (!green) {
            next = ChangeState.FAILED;
        } else if (s.request().risk().needsApproval() && !approvedAs(s, candidate)) {
            next = ChangeState.AWAITING_APPROVAL;
        } else {
            next = ChangeState.VERIFIED;
        }
        Map<String, Object> set = new HashMap<>();
        if (s.request().approvedBy() != null && !approvedAs(s, candidate)) {
            // an approval is bound to the SHA approved: a person read that candidate, not this one
            note = (note.isEmpty() ? "" : note + "; ") + "the approval by " + s.request().approvedBy() + " was for "
                    + abbrev(s.approvedCommit()) + ", the candidate is now " + abbrev(candidate)
                    + ": it needs change:approve again";
            set.put("APPROVED_BY", null);
            set.put("APPROVAL_REASON", null);
            set.put("APPROVED_COMMIT", null);
        }
        set.put("STATE", next.name());
        set.put("VERIFIED_COMMIT", candidate);
        set.put("VERIFIED_BASE", main);
        set.put("CHECK_IDS", checks.stream().filter(k -> k.checkId() != null).map(k -> k.checkId().toString())
                .collect(Collectors.joining(",")));
        set.put("RUN_ID", runId);
        set.put("NOTE", ChangeStore.clip(parts.mask(note), 8000));
        Changes.sql(() -> {
            parts.store().replaceChecks(s.id(), checks);
            return parts.store().update(s.id(), null, set);
        });
        parts.log().accept("change " + s.id() + " of " + s.request().repo() + " verified on "
                + (candidate == null ? "nothing" : candidate.substring(0, 12)) + ": " + next
                + (note.isEmpty() ? "" : " (" + parts.mask(note) + ")"));
        return Changes.sql(() -> parts.store().get(s.id())).orElseThrow();
    }

    /** @return true when a person approved exactly {@code candidate} */
    static boolean approvedAs(ChangeStore.Stored s, String candidate) {
        return s.request().approvedBy() != null && candidate != null && candidate.equals(s.approvedCommit());
    }

    private static String abbrev(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
